import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../shared/lib/signing';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { getJson } from '../helpers/http';
import { uid } from '../helpers/ids';
import { ev, postSigned } from '../webhooks/client';

/**
 * A wrong event withdrawn through the webhook, end to end: the partner's associations and scores come back to
 * exactly what they were without it, and a late retry of the withdrawn event is refused.
 */
describe('event.retracted through the local host', () => {
  let host: HostProcess;
  const secret = generateSecret();
  const partner = uid('p-retract');
  const tenantId = 'tenant-r';
  const objectId = 'obj-r';

  beforeAll(async () => {
    host = await startHostProcess({ env: { WEBHOOK_SOURCES: 'crm', WEBHOOK_SECRET_CRM: secret, WEBHOOK_PARTNERS_CRM: '*', RECOMPUTE_COALESCE_SECONDS: '0' } });
  });
  afterAll(async () => {
    await host?.stop();
  });

  type Scores = { stateVersion: number; areas: { area: string; total: number; metrics: unknown[] }[] };
  const scores = async () => (await getJson(`${host.url}/api/partners/${partner}/scores`)).json as Scores;
  const associations = async () => (await getJson(`${host.url}/api/partners/${partner}/associations`)).json as { items: Record<string, unknown>[] };

  /** Sends one delivery and waits until it is applied and a score from the state it left is stored. */
  type Receipt = { summary: Record<string, number>; notApplied: { eventId: string; result: string; reason?: string }[] };
  async function deliver(body: unknown): Promise<Receipt> {
    const id = uid('msg');
    const before = (await getJson(`${host.url}/api/partners/${partner}/scores`)).json as Partial<Scores>;
    const res = await postSigned(host.url, 'crm', body, { secret, id });
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    const receipt = await eventually(async () => {
      const r = await getJson(`${host.url}/api/webhooks/crm/deliveries/${id}`);
      return r.json.status === 'applied' ? r.json : undefined;
    }, 30_000, `delivery ${id} to be applied`);
    if (((receipt as Receipt).summary.applied ?? 0) > 0) {
      await eventually(async () => {
        const s = (await getJson(`${host.url}/api/partners/${partner}/scores`)).json as Partial<Scores>;
        return s.stateVersion !== undefined && s.stateVersion !== before.stateVersion ? s : undefined;
      }, 30_000, 'a score of the new state');
    }
    return receipt as never;
  }

  it('brings back the associations and scores as without the withdrawn event', async () => {
    const months = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
    await deliver({
      events: [
        ev('link', 'pal.linked', partner, '2026-01-05T00:00:00Z', { tenantId, objectId }),
        ...months.map((month, i) =>
          ev(`acr-${month}`, 'telemetry.monthly', partner, `${month}-28T00:00:00Z`, { month, tenantId, platform: 'azure', workload: 'Virtual Machines', associationType: 'PAL', acrUsd: 2_000 * (i + 1) }),
        ),
      ],
    });
    const good = { associations: await associations(), scores: await scores() };

    await deliver(ev('wrong', 'pal.unlinked', partner, new Date(Date.now() - 60_000).toISOString(), { tenantId, objectId }));
    const wrong = await associations();
    expect(wrong.items[0]).toMatchObject({ status: 'ended' });
    // The wrong event cost points, so getting them back below is the retraction's doing.
    expect((await scores()).areas).not.toEqual(good.scores.areas);

    const retraction = await deliver(ev('fix', 'event.retracted', partner, new Date().toISOString(), { eventId: 'wrong', reason: 'unlinked by mistake' }));
    expect(retraction).toMatchObject({ summary: { applied: 1, refused: 0 }, notApplied: [] });
    expect(await associations()).toEqual(good.associations);
    const after = await scores();
    expect(after.areas).toEqual(good.scores.areas);

    // A sender's late retry of the withdrawn event (a new delivery id) is refused and changes nothing.
    const retry = await deliver(ev('wrong', 'pal.unlinked', partner, new Date(Date.now() - 60_000).toISOString(), { tenantId, objectId }));
    expect(retry).toMatchObject({ summary: { applied: 0, refused: 1 }, notApplied: [{ eventId: 'wrong', result: 'refused', reason: expect.stringMatching(/retracted by fix/) }] });
    expect(await associations()).toEqual(good.associations);
  });
});
