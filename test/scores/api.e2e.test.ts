import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecret, secretKey, verify } from '../../shared/lib/signing';
import { importSnapshotAsState } from '../../tools/fixtures/snapshot-import';
import { recomputePartner } from '../../shared/recompute/partner';
import { addDays, todayUtc } from '../../shared/lib/dates';
import { readScoreStatus } from '../../shared/score-history/score-store';
import { parseSnapshot, scorePartner, type PartnerSnapshotInput } from '../../shared/scoring';
import { QUEUES } from '../../shared/queues/names';
import { sendMessages } from '../../shared/queues/send';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { isolatedStores, type IsolatedStores } from '../helpers/emulators';
import { newPartnerId } from '../helpers/ids';
import { partnerSnapshot } from '../helpers/partner-snapshot';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('score reads, simulation, forecast and alerts over HTTP', () => {
  let stores: IsolatedStores;
  let host: HostProcess;
  let receiver: http.Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let failNext = 1;
  const secret = generateSecret();
  const today = todayUtc();
  const yesterday = addDays(today, -1);
  const partner = newPartnerId('s');
  let snapshot: PartnerSnapshotInput;

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (failNext > 0) {
          failNext--;
          res.writeHead(503, { 'retry-after': '1' }).end();
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    stores = await isolatedStores({ ownAzurite: true });
    snapshot = partnerSnapshot(partner, today, 'medium', 7);
    await importSnapshotAsState(snapshot);
    await recomputePartner(partner, { date: yesterday, reason: 'manual' });
    await recomputePartner(partner, { date: today, reason: 'manual' });
    host = await startHostProcess({ env: { ...stores.env, SCORE_RECOMPUTE_SCHEDULE: '0 0 0 1 1 *', NOTIFICATION_SECRET: secret, NOTIFICATION_RETRY_BASE_SECONDS: '1' } });
  }, 90_000);
  afterAll(async () => {
    if (process.env.DEBUG_HOST) console.log(host?.output());
    await host?.stop();
    await stores?.close();
    await new Promise((r) => receiver?.close(r));
  });

  const get = async (path: string) => {
    const res = await fetch(`${host.url}/api${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const send = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${host.url}/api${path}`, { method, body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('returns every area as of the latest snapshot', async () => {
    const { status, body } = await get(`/partners/${partner}/scores`);
    expect(status).toBe(200);
    expect(body.date).toBe(today);
    expect(body.areas).toHaveLength(6);
    for (const a of body.areas) {
      expect(typeof a.total).toBe('number');
      expect(['not-started', 'in-progress', 'qualified', 'enrolled', 'enrolled-renewal-due']).toContain(a.status);
      expect(a.metrics.length).toBeGreaterThan(0);
    }
    expect((await get(`/partners/nobody-${partner}/scores`)).status).toBe(404);
  });

  it('returns an area breakdown with explanations and the gap, for the latest or a given day', async () => {
    const { status, body } = await get(`/partners/${partner}/scores/data-ai`);
    expect(status).toBe(200);
    expect(body.breakdown.area).toBe('data-ai');
    expect(body.breakdown.metrics[0].explanation.length).toBeGreaterThan(0);
    if (!body.breakdown.qualifiesToday) expect(body.breakdown.gap.pointsShort).toBeGreaterThanOrEqual(0);
    expect((await get(`/partners/${partner}/scores/data-ai?date=${yesterday}`)).body.date).toBe(yesterday);

    const badArea = await get(`/partners/${partner}/scores/quantum`);
    expect(badArea.status).toBe(400);
    expect(badArea.body.message).toContain('area');
    const badDate = await get(`/partners/${partner}/scores/data-ai?date=2026-02-30`);
    expect(badDate.status).toBe(400);
    expect(badDate.body.details[0].path).toBe('query.date');
    expect((await get(`/partners/${partner}/scores/data-ai?date=2020-01-01`)).status).toBe(404);
    expect((await get(`/partners/nobody-${partner}/scores/data-ai`)).status).toBe(404);
  });

  it('returns daily history over the qualification window with monthly highs', async () => {
    const { status, body } = await get(`/partners/${partner}/scores/modern-work/history`);
    expect(status).toBe(200);
    expect(body.to).toBe(today);
    expect(body.from.endsWith('-01')).toBe(true);
    expect(body.days.map((d: { date: string }) => d.date)).toEqual([yesterday, today].filter((d) => d >= body.from));
    expect(body.months.length).toBeGreaterThan(0);
    expect(typeof body.qualifiedOnAnyDay).toBe('boolean');
    expect(body.qualifiedOnAnyDay).toBe(body.days.some((d: { qualified: boolean }) => d.qualified));

    const reversed = await get(`/partners/${partner}/scores/modern-work/history?from=${today}&to=${yesterday}`);
    expect(reversed.status).toBe(400);
    const tooLong = await get(`/partners/${partner}/scores/modern-work/history?from=2024-01-01&to=2025-12-31`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toContain('400 days');
    expect((await get(`/partners/${partner}/scores/modern-work/history?from=yesterday`)).status).toBe(400);
    expect((await get(`/partners/nobody-${partner}/scores/modern-work/history`)).status).toBe(404);
  });

  it('simulates changes without storing anything, and names an invalid change', async () => {
    const before = (await readScoreStatus(partner))?._etag;
    const sim = await send('POST', `/partners/${partner}/simulate`, {
      changes: [
        { op: 'add-professional', professional: { id: 'sim-1', linked: true, linkedOn: '2025-01-01', certifications: [{ certificationId: 'AZ-104', earnedOn: addDays(today, -30) }] } },
        { op: 'remove-professional', id: Object.keys(snapshot.professionals ?? {}).length ? snapshot.professionals![0]!.id : 'sim-1' },
      ],
    });
    expect(sim.status).toBe(200);
    expect(sim.body.stored).toBe(false);
    expect(sim.body.areas).toHaveLength(6);
    expect(sim.body.breakdown).toHaveLength(6);
    expect((await readScoreStatus(partner))?._etag).toBe(before);

    const invalid = await send('POST', `/partners/${partner}/simulate`, { changes: [{ op: 'add-customer', customer: { tenantId: 't-new' } }, { op: 'add-association', association: { id: 'x', type: 'CPOR', tenantId: 't', startDate: '2026-01-01' } }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.some((d: { path: string }) => d.path.startsWith('changes[1].association'))).toBe(true);
    const unknownOp = await send('POST', `/partners/${partner}/simulate`, { changes: [{ op: 'teleport' }] });
    expect(unknownOp.status).toBe(400);
    expect(unknownOp.body.details[0].path).toContain('changes[0]');
    const missing = await send('POST', `/partners/${partner}/simulate`, { changes: [{ op: 'remove-association', id: 'no-such-association' }] });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]).toEqual({ path: 'changes[0].id', message: 'remove-association: no association no-such-association' });
    expect((await send('POST', `/partners/nobody-${partner}/simulate`, { changes: [] })).status).toBe(404);
    expect((await send('POST', `/partners/${partner}/simulate`, '{not json')).status).toBe(400);
  });

  it('forecasts each area at the end of each of the next six months', async () => {
    const { status, body } = await get(`/partners/${partner}/forecast`);
    expect(status).toBe(200);
    expect(body.monthEnds).toHaveLength(6);
    expect(body.monthEnds[0].date > today).toBe(true);
    expect(body.monthEnds[0].areas).toHaveLength(6);
    expect(body.assumptions.length).toBeGreaterThan(0);
    for (const l of body.losses) expect(l.lossDate > today).toBe(true);
    if (body.firstLoss) expect(body.firstLoss).toEqual(body.losses[0]);
    const strict = await get(`/partners/${partner}/forecast?telemetry=none`);
    expect(strict.status).toBe(200);
    expect((await get(`/partners/${partner}/forecast?telemetry=maybe`)).status).toBe(400);
    expect((await get(`/partners/nobody-${partner}/forecast`)).status).toBe(404);
  });

  it('writes an alert when a status changes and delivers it signed, retrying after a failure', async () => {
    expect((await send('PUT', `/partners/${partner}/notification`, { url: 'ftp://example.com/x' })).status).toBe(400);
    expect((await send('PUT', `/partners/nobody-${partner}/notification`, { url: receiverUrl })).status).toBe(404);
    const set = await send('PUT', `/partners/${partner}/notification`, { url: receiverUrl });
    expect(set.status).toBe(200);

    // The partner loses every customer association and all usage: some area's status must change.
    const changed: PartnerSnapshotInput = { ...snapshot, associations: [], telemetry: [] };
    const statusesBefore = scorePartner(parseSnapshot(snapshot), { date: today }).areas.map((a) => a.status);
    const statusesAfter = scorePartner(parseSnapshot(changed), { date: today }).areas.map((a) => a.status);
    expect(statusesAfter).not.toEqual(statusesBefore);
    await importSnapshotAsState(changed, { notificationUrl: receiverUrl });
    await sendMessages(QUEUES.recompute, [{ partnerId: partner, reason: 'manual' }]);

    const alerts = await eventually(async () => {
      const r = await get(`/partners/${partner}/alerts`);
      const list = r.body.alerts as { id: string; kind: string; notification: { state: string; attempts: number } }[];
      const changes = list.filter((a) => a.kind === 'status-changed');
      return changes.length > 0 && changes.every((a) => a.notification.state === 'delivered') ? list : undefined;
    }, 20_000, 'every status-change alert delivered');
    expect(alerts.find((a) => a.kind === 'status-changed')).toMatchObject({ kind: 'status-changed', date: today });

    const deliveries = received.filter((r) => r.body.includes('status-changed'));
    // The first delivery got a 503: it was retried under the same webhook-id (so a receiver can dedupe), then delivered.
    const byId = new Map<string, number>();
    for (const d of deliveries) byId.set(d.headers['webhook-id'] as string, (byId.get(d.headers['webhook-id'] as string) ?? 0) + 1);
    expect([...byId.values()].some((n) => n >= 2)).toBe(true);
    expect(alerts.some((a) => a.notification.attempts >= 2 && a.notification.state === 'delivered')).toBe(true);
    for (const d of deliveries) {
      const v = verify({ keys: [secretKey(secret)], id: d.headers['webhook-id'] as string, timestamp: d.headers['webhook-timestamp'] as string, signature: d.headers['webhook-signature'] as string, body: d.body, toleranceSeconds: 300 });
      expect(v.ok).toBe(true);
    }
    expect((await get(`/partners/nobody-${partner}/alerts`)).status).toBe(404);
  }, 40_000);
});
