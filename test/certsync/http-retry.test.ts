import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, getJsonWithRetry } from '../../shared/certsync/http';
import { parseRetryAfterMs as parseRetryAfter } from '../../shared/lib/retry';
import { Semaphore } from '../../shared/certsync/limiter';

/** A real local HTTP server whose answer per path is scripted, counting requests and concurrency. */
let server: http.Server;
let base = '';
const hits = new Map<string, number>();
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    const counted = path === '/ok';
    if (counted) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
    }
    const done = (status: number, body: string, headers: Record<string, string> = {}) => {
      if (counted) inFlight--;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    };
    if (path === '/ok') setTimeout(() => done(200, '{"a":1}'), 20);
    else if (path === '/flaky') n < 3 ? done(503, '{}') : done(200, '{"ok":true}');
    else if (path === '/throttled') n === 1 ? done(429, '{}', { 'retry-after': '0.3' }) : done(200, '{"ok":true}');
    else if (path === '/slow') setTimeout(() => done(200, '{}'), 1000);
    else if (path === '/down') done(500, 'boom');
    else if (path === '/gone') done(404, '{}');
    else if (path === '/html') done(200, '<html>', { 'content-type': 'text/html' });
    else done(400, 'bad');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const policy = { maxAttempts: 3, timeoutMs: 300, backoffMs: 20 };

describe('source requests with retries', () => {
  it('retries 5xx with backoff until it succeeds', async () => {
    const r = await getJsonWithRetry(`${base}/flaky`, new Semaphore(2), policy);
    expect(r).toEqual({ kind: 'ok', status: 200, body: { ok: true }, attempts: 3 });
  });

  it('waits at least the Retry-After of a 429', async () => {
    const t0 = Date.now();
    const r = await getJsonWithRetry(`${base}/throttled`, new Semaphore(2), policy);
    expect(r.kind).toBe('ok');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('gives up after the last attempt on timeouts and 5xx, saying why', async () => {
    const slow = await getJsonWithRetry(`${base}/slow`, new Semaphore(2), policy);
    expect(slow).toEqual({ kind: 'unavailable', reason: 'no answer within 300 ms after 3 attempts', attempts: 3 });
    const down = await getJsonWithRetry(`${base}/down`, new Semaphore(2), policy);
    expect(down).toEqual({ kind: 'unavailable', reason: 'HTTP 500 after 3 attempts', attempts: 3 });
    expect(hits.get('/down')).toBe(3);
  });

  it('does not retry 404 or answers it cannot read', async () => {
    expect(await getJsonWithRetry(`${base}/gone`, new Semaphore(2), policy)).toEqual({ kind: 'not-found', status: 404, attempts: 1 });
    const html = await getJsonWithRetry(`${base}/html`, new Semaphore(2), policy);
    expect(html).toMatchObject({ kind: 'error', attempts: 1 });
    expect(html.kind === 'error' && html.reason).toContain('not JSON (text/html)');
  });

  it('never has more requests in flight than the limiter allows', async () => {
    maxInFlight = 0;
    const limiter = new Semaphore(3);
    await Promise.all(Array.from({ length: 20 }, () => getJsonWithRetry(`${base}/ok`, limiter, policy)));
    expect(maxInFlight).toBe(3);
    expect(limiter.maxObserved).toBe(3);
    expect(limiter.inFlight).toBe(0);
  });

  it('computes backoff: exponential, jittered, never below Retry-After, capped', () => {
    expect(backoffMs(1, undefined, { backoffMs: 100, random: () => 0 })).toBe(50);
    expect(backoffMs(3, undefined, { backoffMs: 100, random: () => 1 })).toBe(400);
    // Retry-After is the floor; the jitter only adds (the one backoff of shared/lib/retry.ts).
    expect(backoffMs(1, 2000, { backoffMs: 100, random: () => 0 })).toBe(2000);
    expect(backoffMs(1, 2000, { backoffMs: 100, random: () => 0.5 })).toBe(2025);
    expect(backoffMs(10, 90_000, { backoffMs: 1000, maxDelayMs: 30_000, random: () => 1 })).toBe(30_000);
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
