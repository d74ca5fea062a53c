import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickFault, startFaultProxy, validateRates, type FaultProxy } from '../../tools/faults/proxy';
import { faultsLine, sumTallies } from '../../tools/faults/run-suite';

/** The fault proxy against a small upstream that counts what reached it. */
describe('fault proxy', () => {
  let upstream: http.Server;
  let proxy: FaultProxy;
  let reached = 0;

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      reached++;
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ n: reached })));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    proxy = await startFaultProxy({ target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, retryAfterMs: 35, delayMs: 120 });
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise<void>((r) => upstream.close(() => r()));
  });

  const post = () => fetch(`${proxy.url}/x`, { method: 'POST', body: '{"a":1}' });

  it('passes requests through unchanged when no fault is drawn', async () => {
    const before = reached;
    const res = await post();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ n: before + 1 });
  });

  it('answers 429 with x-ms-retry-after-ms and 503 without reaching the upstream, 408 after it', async () => {
    const before = reached;
    proxy.failNext('throttle', 'unavailable', 'timeout');
    const throttled = await post();
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-ms-retry-after-ms')).toBe('35');
    expect((await post()).status).toBe(503);
    expect(reached).toBe(before);
    expect((await post()).status).toBe(408);
    expect(reached).toBe(before + 1);
  });

  it('delays an answer and resets a connection', async () => {
    proxy.failNext('delay');
    const t0 = Date.now();
    expect((await post()).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    proxy.failNext('reset');
    await expect(post()).rejects.toThrow();
  });

  it('counts every fault by kind, and draws faults at the configured rates', async () => {
    const c = proxy.counts();
    expect(c).toMatchObject({ throttle: 1, unavailable: 1, timeout: 1, delay: 1, reset: 1 });
    expect(proxy.injected()).toBe(5);
    proxy.setRates({ unavailable: 0.5 });
    const statuses = await Promise.all(Array.from({ length: 200 }, () => post().then((r) => r.status)));
    proxy.setRates({});
    const share = statuses.filter((s) => s === 503).length / 200;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
  });

  it('refuses rates that are not probabilities or add up past 1', () => {
    expect(() => validateRates({ throttle: 0.7, reset: 0.4 })).toThrow(/add up/);
    expect(() => validateRates({ throttle: -1 })).toThrow(/between 0 and 1/);
    expect(() => validateRates({ bogus: 0.1 } as never)).toThrow(/Unknown fault kind/);
    expect(pickFault({ throttle: 0.1, reset: 0.1 }, 0.05)).toBe('throttle');
    expect(pickFault({ throttle: 0.1, reset: 0.1 }, 0.15)).toBe('reset');
    expect(pickFault({ throttle: 0.1, reset: 0.1 }, 0.5)).toBeUndefined();
  });
});

describe('the suite\'s last line', () => {
  it('sums the scenarios\' tallies', () => {
    const { totals, scenarios } = sumTallies(['{"sent":3,"accepted":3,"applied":3,"lost":0,"duplicated":0,"server_errors":0}', '', '{"sent":2,"accepted":2,"applied":1,"lost":1,"duplicated":0,"server_errors":2}']);
    expect(scenarios).toBe(2);
    expect(faultsLine(totals)).toBe('faults: sent=5 accepted=5 applied=4 lost=1 duplicated=0 server_errors=2');
  });
});
