import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { generateSecret } from '../../shared/lib/signing';
import { getJson } from '../helpers/http';
import { uid } from '../helpers/ids';
import { ev, postSigned } from '../webhooks/client';

/**
 * Values that cannot be true, through the real HTTP surface (issue 15, item 3): refused with 400 naming the field and
 * nothing stored; unusual but possible values accepted, with the warning in the 202 and in the delivery status.
 */
describe('impossible and unusual values in webhook deliveries', () => {
  let host: HostProcess;
  const secret = generateSecret();
  beforeAll(async () => {
    host = await startHostProcess({ env: { WEBHOOK_SOURCES: 'crm', WEBHOOK_SECRET_CRM: secret, WEBHOOK_PARTNERS_CRM: '*', MAX_SEAT_COUNT: '50000' } });
  });
  afterAll(async () => {
    await host?.stop();
  });

  const month = (back: number) => {
    const d = new Date();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() - back);
    return d.toISOString().slice(0, 7);
  };
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const usage = (id: string, partner: string, data: Record<string, unknown>) =>
    ev(id, 'telemetry.monthly', partner, at, { month: month(1), tenantId: 't1', platform: 'microsoft-365', workload: 'teams', associationType: 'CSP', ...data });

  it('refuses a month not begun, a seat count above MAX_SEAT_COUNT, a day that does not exist, with 400 naming each field; stores nothing', async () => {
    const partner = uid('p-impossible');
    const res = await postSigned(host.url, 'crm', {
      events: [
        usage('u1', partner, { paidSeats: 10 }),
        usage('u2', partner, { month: month(-1), paidSeats: 10 }),
        usage('u3', partner, { paidSeats: 50_001 }),
        ev('c1', 'certification.earned', partner, at, { learnProfileId: 'lp', certificationId: 'AZ-104', earnedOn: '2026-02-30' }),
      ],
    }, { secret });
    expect(res.status).toBe(400);
    expect((res.json.details as { path: string }[]).map((d) => d.path)).toEqual(['events[1].data.month', 'events[2].data.paidSeats', 'events[3].data.earnedOn']);
    expect(res.json.message).toMatch(/events\[2\]\.data\.paidSeats: 50001 is above 50000/);
    // Not even the valid first event was stored: the partner is unknown.
    expect((await getJson(`${host.url}/api/partners/${partner}/telemetry`)).status).toBe(404);
  }, 60_000);

  it('accepts more active users than paid seats with a warning, in the 202 and in the delivery status', async () => {
    const partner = uid('p-unusual');
    const id = uid('msg');
    const res = await postSigned(host.url, 'crm', usage('w1', partner, { paidSeats: 10, activeUsers: 14 }), { secret, id });
    expect(res.status).toBe(202);
    expect(res.json.warnings).toEqual([{ path: 'data.activeUsers', message: expect.stringMatching(/14 active users is more than the 10 paid seats/) }]);
    const status = await eventually(async () => {
      const r = await getJson(`${host.url}/api/webhooks/crm/deliveries/${id}`);
      return r.json.status === 'applied' ? r.json : undefined;
    }, 20_000, 'delivery applied');
    expect(status.warnings).toEqual(res.json.warnings);
    expect(status.summary).toMatchObject({ applied: 1 });
    expect((await getJson(`${host.url}/api/partners/${partner}/telemetry`)).json.items).toEqual([expect.objectContaining({ paidSeats: 10, activeUsers: 14 })]);
  }, 60_000);
});
