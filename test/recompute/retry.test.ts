import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs, withRetry } from '../../shared/lib/retry';
import { getCosmosClient, resetCosmosClientForTests } from '../../shared/store/cosmos';
import { isTransient, retryAfterMs, withTransientRetry } from '../../shared/store/errors';

/** What @azure/cosmos throws when the service keeps answering 429 beyond the client's own retries. */
const throttle = (retryAfterInMs?: number) => Object.assign(new Error('Request rate is large'), { code: 429, ...(retryAfterInMs !== undefined ? { retryAfterInMs } : {}) });
const unavailable = (retryAfterInMs?: number) => Object.assign(new Error('Service unavailable'), { code: 503, ...(retryAfterInMs !== undefined ? { retryAfterInMs } : {}) });

describe('the one retry helper (shared/lib/retry.ts)', () => {
  it('retries until it succeeds, never waiting less than the retry-after the other side sent', async () => {
    let calls = 0;
    const waits: number[] = [];
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw unavailable(250);
        return 'ok';
      },
      { retryable: isTransient, retryAfterMs },
      { sleep: async (ms: number) => void waits.push(ms), random: () => 0 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(waits).toHaveLength(3);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(250);
  });

  it('jitters the wait so failing workers spread out, grows it exponentially, and never passes the maximum', () => {
    const low = backoffDelayMs(3, undefined, { baseDelayMs: 100, random: () => 0 });
    const high = backoffDelayMs(3, undefined, { baseDelayMs: 100, random: () => 0.999 });
    expect(low).toBe(200);
    expect(high).toBeGreaterThan(390);
    expect(backoffDelayMs(1, undefined, { baseDelayMs: 100, random: () => 0 })).toBe(50);
    expect(backoffDelayMs(10, undefined, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 })).toBe(1000);
    // The service's retry-after wins over a shorter computed wait, capped by the maximum, jitter included.
    expect(backoffDelayMs(1, 800, { baseDelayMs: 100, random: () => 0 })).toBe(800);
    expect(backoffDelayMs(1, 60_000, { baseDelayMs: 100, maxDelayMs: 5000, random: () => 0 })).toBe(5000);
    expect(backoffDelayMs(10, 90_000, { baseDelayMs: 1000, maxDelayMs: 30_000, random: () => 1 })).toBe(30_000);
  });

  it('gives up after maxAttempts with the last error, and does not retry what the policy does not', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw unavailable(1);
      }, { retryable: isTransient }, { maxAttempts: 3, sleep: async () => undefined }),
    ).rejects.toMatchObject({ code: 503 });
    expect(calls).toBe(3);

    let other = 0;
    await expect(
      withRetry(async () => {
        other++;
        throw Object.assign(new Error('conflict'), { code: 409 });
      }, { retryable: isTransient }, { sleep: async () => undefined }),
    ).rejects.toMatchObject({ code: 409 });
    expect(other).toBe(1);
  });

  it('reads Retry-After as seconds or an HTTP date, and a Cosmos DB retry-after from the error or its header', () => {
    expect(parseRetryAfterMs('2')).toBe(2000);
    expect(parseRetryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs(throttle(120))).toBe(120);
    expect(retryAfterMs({ code: 429, headers: { 'x-ms-retry-after-ms': '75' } })).toBe(75);
    expect(retryAfterMs({ code: 429 })).toBeUndefined();
  });
});

describe('Cosmos DB throttling is the SDK\'s to retry', () => {
  it('configures the client with retryOptions (attempts and total wait) for 429s', () => {
    resetCosmosClientForTests();
    const client = getCosmosClient({ COSMOS_ENDPOINT: 'http://127.0.0.1:1', COSMOS_KEY: 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==', COSMOS_DATABASE: 'x' });
    const policy = (client as unknown as { clientContext: { connectionPolicy: { retryOptions: Record<string, number> } } }).clientContext.connectionPolicy;
    expect(policy.retryOptions).toMatchObject({ maxRetryAttemptCount: 9, maxWaitTimeInSeconds: 30 });
    resetCosmosClientForTests();
  });

  it('adds no second layer: a 429 that got past the SDK is rethrown at once', async () => {
    let calls = 0;
    await expect(
      withTransientRetry(async () => {
        calls++;
        throw throttle(1);
      }, { sleep: async () => undefined }),
    ).rejects.toMatchObject({ code: 429 });
    expect(calls).toBe(1);
    expect(isTransient(throttle())).toBe(false);
    expect(isTransient(unavailable())).toBe(true);
  });
});
