import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, REPO_ROOT, startHostProcess, type HostProcess } from '../helpers/host-process';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'devhost-app');
const decode = (t: string) => JSON.parse(Buffer.from(t, 'base64').toString('utf8')) as Record<string, unknown>;

describe('local Functions host, end to end over real sockets and Azurite', () => {
  let host: HostProcess;
  let queues: QueueServiceClient;
  const q = (name: string): QueueClient => queues.getQueueClient(name);
  const tickQueue = `fixture-ticks-${Date.now()}`;

  beforeAll(async () => {
    queues = QueueServiceClient.fromConnectionString(inject('storageConnectionString'));
    // Before the host listens: a message whose dequeue count is already past maxDequeueCount (3), as a host
    // that crashed between its last attempt and the move to the poison queue leaves behind.
    await q('fixture-out').createIfNotExists();
    await q('fixture-out').sendMessage(Buffer.from(JSON.stringify({ stale: true })).toString('base64'));
    for (let i = 0; i < 4; i++) {
      const [m] = (await q('fixture-out').receiveMessages({ visibilityTimeout: 30 })).receivedMessageItems;
      if (m) await q('fixture-out').updateMessage(m.messageId, m.popReceipt, undefined, 0);
    }
    host = await startHostProcess({ appDir: FIXTURE, env: { TICK_SCHEDULE: '0 0 0 13 * 5', TICK_QUEUE: tickQueue } });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('prints a start-up summary with every function, its trigger and the emulator URLs', () => {
    const out = host.output();
    expect(out).toMatch(/Functions \(9\):/);
    // The fixture's `items-by-id` is a name Azure accepts but whose Disabled switch does not work on Linux.
    expect(out).toContain('Function name "items-by-id" contains "-": on Linux plans AzureWebJobs.items-by-id.Disabled cannot be set');
    expect(out).not.toContain('Function name "ping"');
    expect(out).toMatch(/ping\s+\[GET\] http:\/\/127\.0\.0\.1:\d+\/api\/ping\/\{name\?\}/);
    expect(out).toMatch(/tick\s+timer "0 0 0 13 \* 5" \(UTC\)/);
    expect(out).toMatch(/flaky\s+queue "fixture-flaky"/);
    expect(out).toContain('Cosmos DB: http://127.0.0.1');
    expect(out).toContain('Storage queues: http://127.0.0.1');
  });

  it('checks authLevel as the Functions host does: a function route needs a key, /admin/* the master key', async () => {
    expect((await fetch(`${host.url}/api/keyed`)).status).toBe(401);
    expect((await fetch(`${host.url}/api/keyed`, { headers: { 'x-functions-key': 'wrong' } })).status).toBe(401);
    expect((await fetch(`${host.url}/api/keyed`, { headers: { 'x-functions-key': host.keys.functionKey } })).status).toBe(200);
    expect((await fetch(`${host.url}/api/keyed?code=${encodeURIComponent(host.keys.masterKey)}`)).status).toBe(200);
    const noKey = await fetch(`${host.url}/admin/functions/tick`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { message: string }).message).toMatch(/master key/);
    const functionKey = await fetch(`${host.url}/admin/functions/tick`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'x-functions-key': host.keys.functionKey } });
    expect(functionKey.status).toBe(401);
    expect(host.output()).toMatch(/Function key: \S{40,}/);
  });

  it('refuses form and plain-text bodies on the admin API, and cross-origin changes without a key, so no web page can post here', async () => {
    const plain = await fetch(`${host.url}/admin/functions/tick`, { method: 'POST', body: '{}', headers: { ...host.adminHeaders, 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    const form = await fetch(`${host.url}/admin/functions/tick`, { method: 'POST', body: 'input=x', headers: { ...host.adminHeaders, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const crossSite = await fetch(`${host.url}/api/echo`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { message: string }).message).toMatch(/Cross-origin POST from https:\/\/evil\.example refused/);
    // With a key the request gets past the check to the route (a GET-only one, so it writes nothing: 405).
    const withKey = await fetch(`${host.url}/api/ping/x`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', origin: 'https://tool.example', 'x-functions-key': host.keys.functionKey } });
    expect(withKey.status).toBe(405);
  });

  it('runs an HTTP function with route parameters and query through the library request model', async () => {
    const res = await fetch(`${host.url}/api/ping/ada?q=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ name: 'ada', q: '1', method: 'GET' });
    const noName = await fetch(`${host.url}/API/Ping`);
    expect(await noName.json()).toEqual({ name: null, q: null, method: 'GET' });
  });

  it('prefers a literal route over a parameter and applies route constraints', async () => {
    expect(await (await fetch(`${host.url}/api/items/special`)).json()).toEqual({ route: 'special' });
    expect(await (await fetch(`${host.url}/api/items/42`)).json()).toEqual({ route: 'by-id', id: '42' });
    expect((await fetch(`${host.url}/api/items/abc`)).status).toBe(404);
  });

  it('answers an unknown route with a JSON 404 and a wrong method with a JSON 405 and Allow', async () => {
    const nf = await fetch(`${host.url}/api/nowhere`);
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { error: string }).error).toBe('NotFound');
    const outside = await fetch(`${host.url}/elsewhere`);
    expect(outside.status).toBe(404);
    const wrong = await fetch(`${host.url}/api/ping/x`, { method: 'POST', body: '{}' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    expect(((await wrong.json()) as { message: string }).message).toContain('use GET');
  });

  it('refuses a body over 1 MiB with a JSON 413 and keeps serving', async () => {
    const res = await fetch(`${host.url}/api/echo`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('PayloadTooLarge');
    expect((await fetch(`${host.url}/api/ping`)).status).toBe(200);
  });

  it('turns a throwing function into a JSON 500 without crashing the host', async () => {
    const res = await fetch(`${host.url}/api/crash`);
    expect(res.status).toBe(500);
    expect(((await res.json()) as { message: string }).message).toContain('crash');
    expect((await fetch(`${host.url}/api/ping`)).status).toBe(200);
  });

  it('writes queue output bindings (an array is one message per element) and triggers the queue function', async () => {
    const res = await fetch(`${host.url}/api/echo`, { method: 'POST', body: JSON.stringify({ hello: 'world' }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-fixture')).toBe('yes');
    expect(await res.json()).toEqual({ hello: 'world' });
    // Received messages stay hidden for a while, so collect across polls instead of expecting both in one.
    const bodies: Record<string, unknown>[] = [];
    const consumed = await eventually(async () => {
      const got = await q('fixture-consumed').receiveMessages({ numberOfMessages: 32 });
      bodies.push(...got.receivedMessageItems.map((m) => decode(m.messageText)));
      return bodies.length >= 2 ? bodies : undefined;
    }, 30_000, 'two consumed messages');
    expect(consumed).toEqual(expect.arrayContaining([
      { message: { hello: 'world' }, dequeueCount: 1 },
      { message: { second: true }, dequeueCount: 1 },
    ]));
  });

  it('runs a timer on demand with POST /admin/functions/{name} and a camel-cased timer object', async () => {
    const res = await fetch(`${host.url}/admin/functions/tick`, { method: 'POST', body: '{}', headers: host.adminHeaders });
    expect(res.status).toBe(202);
    const msg = await eventually(async () => {
      const got = await q(tickQueue).receiveMessages();
      return got.receivedMessageItems[0];
    }, 30_000, 'the tick message');
    expect(decode(msg.messageText)).toEqual({ isPastDue: false, hasStatus: true });
    expect((await fetch(`${host.url}/admin/functions/nope`, { method: 'POST', headers: host.adminHeaders })).status).toBe(404);
  });

  it('moves a message already past maxDequeueCount to <queue>-poison without running the function', async () => {
    const poisoned = await eventually(async () => (await q('fixture-out-poison').receiveMessages()).receivedMessageItems[0], 30_000, 'the poison copy');
    expect(decode(poisoned.messageText)).toEqual({ stale: true });
    expect(host.output()).toMatch(/moved to fixture-out-poison: dequeue count \d+ is past maxDequeueCount/);
  });

  it('retries a failing queue message maxDequeueCount times, then moves it to <queue>-poison', async () => {
    await q('fixture-flaky').createIfNotExists();
    await q('fixture-flaky').sendMessage(Buffer.from(JSON.stringify({ n: 7 })).toString('base64'));
    const poisoned = await eventually(async () => {
      const got = await q('fixture-flaky-poison').receiveMessages();
      return got.receivedMessageItems[0];
    }, 40_000, 'the poison message');
    expect(decode(poisoned.messageText)).toEqual({ n: 7 });
    const attempts = host.output().match(/flaky refuses \{"n":7\} on attempt \d/g) ?? [];
    expect(attempts).toEqual(['flaky refuses {"n":7} on attempt 1', 'flaky refuses {"n":7} on attempt 2', 'flaky refuses {"n":7} on attempt 3']);
    // The host logs the move after the message is on the poison queue, so the line can trail the message by a moment.
    await eventually(async () => (host.output().includes('moved to fixture-flaky-poison: failed 3 times') ? true : undefined), 10_000, 'the poison log line');
    const left = await q('fixture-flaky').getProperties();
    expect(left.approximateMessagesCount).toBe(0);
  });
});

describe('local host lifecycle', () => {
  it('starts its own emulators, serves /api/health, and stops cleanly on SIGTERM leaving no child behind', async () => {
    const host = await startHostProcess({ embedded: true });
    try {
      const res = await fetch(`${host.url}/api/health`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; version: string; checks: Record<string, { ok: boolean }> };
      expect(body.status).toBe('healthy');
      expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(body.checks.cosmos!.ok && body.checks.storage!.ok).toBe(true);
      expect(host.output()).toContain('(embedded emulator, in memory)');
    } finally {
      const pid = host.child.pid!;
      const code = await host.stop('SIGTERM');
      expect(code).toBe(0);
      expect(host.output()).toContain('Stopped.');
      const { execSync } = await import('node:child_process');
      const children = execSync(`ps -o pid= --ppid ${pid} || true`).toString().trim();
      expect(children).toBe('');
    }
  });

  it('turns a function off with AzureWebJobs.<name>.Disabled, as Azure does', async () => {
    const host = await startHostProcess({ appDir: FIXTURE, env: { TICK_SCHEDULE: '0 0 0 1 1 *', TICK_QUEUE: 'fixture-ticks-disabled', 'AzureWebJobs.ping.Disabled': 'true' } });
    try {
      expect(host.output()).toMatch(/Functions \(8\):/);
      expect(host.output()).toContain('Disabled by AzureWebJobs.<name>.Disabled: ping');
      expect((await fetch(`${host.url}/api/ping/x`)).status).toBe(404);
      expect((await fetch(`${host.url}/api/items/special`)).status).toBe(200);
    } finally {
      await host.stop();
    }
  });

  it('stops with a message naming the setting when a setting is malformed', async () => {
    await expect(startHostProcess({ env: { SCORE_RECOMPUTE_SCHEDULE: '0 0 2 * *' } })).rejects.toThrow(/SCORE_RECOMPUTE_SCHEDULE: must be an NCRONTAB expression with 6 fields/);
  });
});
