import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../shared/lib/signing';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { getJson } from '../helpers/http';
import { uid } from '../helpers/ids';
import { ev, postSigned } from '../webhooks/client';

/**
 * Freshness through the local host (issue 16): an isolated change is scored without a coalescing wait, and the
 * delivery status and every score answer say which state they scored, so a client knows when its change is in.
 */
describe('freshness of scores after a change', () => {
  let host: HostProcess;
  const secret = generateSecret();

  beforeAll(async () => {
    // A long follow-up window: an isolated change must not wait for it.
    host = await startHostProcess({ env: { WEBHOOK_SOURCES: 'crm', WEBHOOK_SECRET_CRM: secret, WEBHOOK_PARTNERS_CRM: '*', RECOMPUTE_COALESCE_SECONDS: '20' } });
  });
  afterAll(async () => {
    await host?.stop();
  });

  const telemetry = (partner: string, i: number) =>
    ev(uid('e'), 'telemetry.monthly', partner, new Date().toISOString(), { month: new Date().toISOString().slice(0, 7), tenantId: `t-${i}`, platform: 'azure', workload: 'Virtual Machines', associationType: 'PAL', acrUsd: 100 + i });

  it('scores an isolated change at once, and the delivery status and score answers say so', async () => {
    const partner = uid('p-fresh');
    const id = uid('msg');
    const res = await postSigned(host.url, 'crm', telemetry(partner, 1), { secret, id });
    expect(res.status).toBe(202);
    const accepted = Date.now();
    const status = await eventually(async () => {
      const r = await getJson(`${host.url}/api/webhooks/crm/deliveries/${id}`);
      return r.json.scoredAt ? r.json : undefined;
    }, 15_000, 'the delivery to be scored');
    // Far inside the 20 s window: the first change after a quiet period is not delayed.
    expect(Date.now() - accepted).toBeLessThan(10_000);
    expect(status.scores).toEqual([{ partnerId: partner, stateVersion: 1, scoredStateVersion: 1, scoredAt: status.scoredAt }]);

    const scores = await getJson(`${host.url}/api/partners/${partner}/scores`);
    expect(scores.json).toMatchObject({ stateVersion: 1, currentStateVersion: 1, scoredAt: status.scoredAt });
    const breakdown = await getJson(`${host.url}/api/partners/${partner}/scores/infrastructure`);
    expect(breakdown.json).toMatchObject({ stateVersion: 1, currentStateVersion: 1, scoredAt: status.scoredAt });
    const history = await getJson(`${host.url}/api/partners/${partner}/scores/infrastructure/history`);
    expect(history.json).toMatchObject({ stateVersion: 1, currentStateVersion: 1, scoredAt: status.scoredAt });
  });

  it('a change made while the score is being computed gets one follow-up, and the answers show the gap until then', async () => {
    const partner = uid('p-follow');
    const first = uid('msg');
    expect((await postSigned(host.url, 'crm', telemetry(partner, 1), { secret, id: first })).status).toBe(202);
    await eventually(async () => ((await getJson(`${host.url}/api/webhooks/crm/deliveries/${first}`)).json.scoredAt ? true : undefined), 15_000, 'the first change to be scored');
    // Three changes at once: the first starts a recompute, the others wait for its follow-up (20 s window).
    const ids = [uid('msg'), uid('msg'), uid('msg')];
    await Promise.all(ids.map((id, i) => postSigned(host.url, 'crm', telemetry(partner, 10 + i), { secret, id })));
    await eventually(async () => {
      const all = await Promise.all(ids.map(async (id) => (await getJson(`${host.url}/api/webhooks/crm/deliveries/${id}`)).json));
      return all.every((s) => s.status === 'applied') ? all : undefined;
    }, 15_000, 'the changes to be applied');
    const scores = await getJson(`${host.url}/api/partners/${partner}/scores`);
    // One version per queue message that changed the state: deliveries accepted together travel in one message.
    const current = scores.json.currentStateVersion as number;
    expect(current).toBeGreaterThanOrEqual(2);
    expect(current).toBeLessThanOrEqual(4);
    // The last change is scored in the end: by the follow-up at the latest.
    const last = await eventually(async () => {
      const r = await getJson(`${host.url}/api/partners/${partner}/scores`);
      return r.json.stateVersion === current ? r.json : undefined;
    }, 40_000, 'the last change to be scored');
    expect(last).toMatchObject({ stateVersion: current, currentStateVersion: current });
    for (const id of ids) expect((await getJson(`${host.url}/api/webhooks/crm/deliveries/${id}`)).json.scoredAt).toEqual(expect.any(String));
  });
});
