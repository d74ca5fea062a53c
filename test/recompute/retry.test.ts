import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../shared/lib/retry';
import { retryAfterMs, withThrottleRetry } from '../../shared/store/errors';

/** What @azure/cosmos throws when the service keeps answering 429 beyond the client's own retries. */
const throttle = (retryAfterInMs?: number) => Object.assign(new Error('Request rate is large'), { code: 429, ...(retryAfterInMs !== undefined ? { retryAfterInMs } : {}) });

describe('withThrottleRetry', () => {
  it('retries a 429 until it succeeds, never waiting less than the retry-after the service sent', async () => {
    let calls = 0;
    const waits: number[] = [];
    const result = await withThrottleRetry(
      async () => {
        calls++;
        if (calls < 4) throw throttle(250);
        return 'ok';
      },
      { sleep: async (ms) => void waits.push(ms), random: () => 0 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(waits).toHaveLength(3);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(250);
  });

  it('jitters the wait so throttled workers spread out, and grows it exponentially', () => {
    const low = backoffDelayMs(3, undefined, { baseDelayMs: 100, random: () => 0 });
    const high = backoffDelayMs(3, undefined, { baseDelayMs: 100, random: () => 0.999 });
    expect(low).toBe(200);
    expect(high).toBeGreaterThan(390);
    expect(backoffDelayMs(1, undefined, { baseDelayMs: 100, random: () => 0 })).toBe(50);
    expect(backoffDelayMs(10, undefined, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 })).toBe(1000);
    // The service's retry-after wins over a shorter computed wait, capped by the maximum.
    expect(backoffDelayMs(1, 800, { baseDelayMs: 100, random: () => 0 })).toBe(800);
    expect(backoffDelayMs(1, 60_000, { baseDelayMs: 100, maxDelayMs: 5000, random: () => 0 })).toBe(5000);
  });

  it('gives up after maxAttempts with the last 429, and does not retry other errors', async () => {
    let calls = 0;
    await expect(
      withThrottleRetry(async () => {
        calls++;
        throw throttle(1);
      }, { maxAttempts: 3, sleep: async () => undefined }),
    ).rejects.toMatchObject({ code: 429 });
    expect(calls).toBe(3);

    let other = 0;
    await expect(
      withThrottleRetry(async () => {
        other++;
        throw Object.assign(new Error('conflict'), { code: 409 });
      }, { sleep: async () => undefined }),
    ).rejects.toMatchObject({ code: 409 });
    expect(other).toBe(1);
  });

  it('reads retry-after from the error or its x-ms-retry-after-ms header', () => {
    expect(retryAfterMs(throttle(120))).toBe(120);
    expect(retryAfterMs({ code: 429, headers: { 'x-ms-retry-after-ms': '75' } })).toBe(75);
    expect(retryAfterMs({ code: 429 })).toBeUndefined();
  });
});
