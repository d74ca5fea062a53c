import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resetSettingsCache } from '../../shared/config/settings';
import { recordFailure } from '../../shared/deadletters/dead-letter-store';
import { createDatabaseAndContainers } from '../../shared/store/cosmos';
import { getSettings } from '../../shared/config/settings';
import { eventually, startHostProcess, type HostProcess } from '../helpers/host-process';
import { emulatorEnv } from '../helpers/emulators';
import { getJson } from '../helpers/http';
import { uid } from '../helpers/ids';

/** Dead letters: permanent failures, poison queues of every queue, listing with filters, replay. */
describe('dead-letter store and /api/dead-letters', () => {
  let host: HostProcess;
  let queues: QueueServiceClient;
  const send = async (queue: string, body: unknown) => {
    const q = queues.getQueueClient(queue);
    await q.createIfNotExists();
    await q.sendMessage(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)).toString('base64'));
  };
  const list = (query: string) => getJson(`${host.url}/api/dead-letters${query}`);
  const findOne = (query: string) =>
    eventually(async () => {
      const r = await list(query);
      return r.json.items?.length ? (r.json.items[0] as { id: string; reason: string; queue: string; status: string; body: string; partnerIds: string[] }) : undefined;
    }, 20_000, `a dead letter for ${query}`);

  beforeAll(async () => {
    queues = QueueServiceClient.fromConnectionString(inject('storageConnectionString'));
    // This process writes failure records directly, as a failing handler would.
    Object.assign(process.env, emulatorEnv());
    resetSettingsCache();
    await createDatabaseAndContainers(getSettings());
    host = await startHostProcess({ env: { WEBHOOK_SOURCES: '' } });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('dead-letters a message that can never be applied at once, with the reason', async () => {
    const partner = uid('p-garbage');
    await send('webhook-events', { hello: 'world', partnerId: partner });
    const dl = await findOne(`?queue=webhook-events&partnerId=${partner}`);
    expect(dl.reason).toMatch(/not a webhook delivery message/);
    expect(JSON.parse(dl.body)).toEqual({ hello: 'world', partnerId: partner });
  });

  it('records poison messages of every queue, with the last error the handler recorded', async () => {
    const partner = uid('p-poison');
    const body = { partnerId: partner, reason: 'manual' };
    await recordFailure('score-recompute', JSON.stringify(body), new Error('Cosmos said 503 for partner ' + partner));
    await send('score-recompute-poison', body);
    const dl = await findOne(`?queue=score-recompute&partnerId=${partner}`);
    expect(dl.reason).toMatch(/failed the maximum number of times on queue score-recompute; last error .*503 for partner/);
    const other = uid('p-notif');
    await send('partner-notifications-poison', { partnerId: other });
    expect((await findOne(`?partnerId=${other}`)).reason).toMatch(/recorded no error/);
  });

  it('replays a dead letter to its queue once (then only with force), and the delivery is applied', async () => {
    const partner = uid('p-replay');
    const message = {
      kind: 'webhook-delivery',
      v: 1,
      source: 'ops',
      webhookId: 'w-' + partner,
      receiptId: 'ops:w-' + partner,
      receivedAt: new Date().toISOString(),
      partnerIds: [partner],
      events: [{ id: 'e1', version: 1, type: 'pal.linked', partnerId: partner, occurredAt: '2026-02-01T00:00:00Z', data: { tenantId: 't', objectId: 'o' } }],
    };
    await send('webhook-events-poison', message);
    const dl = await findOne(`?queue=webhook-events&partnerId=${partner}`);
    expect(dl.status).toBe('open');
    expect((await getJson(`${host.url}/api/partners/${partner}/associations`)).status).toBe(404);

    const replay = await fetch(`${host.url}/api/dead-letters/${dl.id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: 'replayed', deadLetter: { id: dl.id, status: 'replayed' } });
    const assoc = await eventually(async () => {
      const r = await getJson(`${host.url}/api/partners/${partner}/associations`);
      return r.status === 200 ? r.json : undefined;
    }, 20_000, 'the replayed delivery to be applied');
    expect(assoc.items).toEqual([expect.objectContaining({ id: 'pal:t:o', status: 'active' })]);

    expect((await fetch(`${host.url}/api/dead-letters/${dl.id}/replay`, { method: 'POST' })).status).toBe(409);
    expect((await fetch(`${host.url}/api/dead-letters/${dl.id}/replay?force=true`, { method: 'POST' })).status).toBe(200);
    expect((await list(`?partnerId=${partner}&status=replayed`)).json.items).toHaveLength(1);
  });

  it('pages with a continuation token, and answers bad input with 400 and unknown ids with 404', async () => {
    const partner = uid('p-page');
    for (let i = 0; i < 3; i++) await send('cert-sync-poison', { partnerId: partner, n: i });
    await eventually(async () => ((await list(`?partnerId=${partner}`)).json.items.length === 3 ? true : undefined), 20_000, 'three dead letters');
    const first = await list(`?partnerId=${partner}&limit=2`);
    expect(first.json.items).toHaveLength(2);
    const second = await list(`?partnerId=${partner}&limit=2&continuationToken=${encodeURIComponent(first.json.continuationToken)}`);
    expect(second.json.items).toHaveLength(1);
    const bad = await list('?queue=nope&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.json.details.map((d: { path: string }) => d.path)).toEqual(['query.queue', 'query.limit']);
    expect((await fetch(`${host.url}/api/dead-letters/00000000-0000-0000-0000-000000000000/replay`, { method: 'POST' })).status).toBe(404);
  });

  it('a continuation token that is not one it issued is a 400 naming it, not a 500 (a non-ASCII one cannot travel to Cosmos DB)', async () => {
    for (const token of ['\u00e9t\u00e9', '\u7bc0', 'x\u0007y']) {
      const res = await list(`?continuationToken=${encodeURIComponent(token)}`);
      expect(res.status, token).toBe(400);
      expect(res.json.details[0].path).toBe('query.continuationToken');
    }
  });
});
