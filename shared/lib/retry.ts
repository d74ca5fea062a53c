/**
 * Retrying work that failed for a passing reason. The wait honours the retry-after the other side sent, grows
 * exponentially, and is jittered so that many workers failing at the same moment do not all come back at the same
 * moment. What counts as passing is the caller's: shared/store/errors.ts says it for Cosmos DB (429).
 */

export interface RetryOptions {
  /** Attempts in total, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

/** Which errors are worth another attempt, and how long the other side asked to wait before it (ms). */
export interface RetryPolicy {
  retryable: (e: unknown) => boolean;
  retryAfterMs?: (e: unknown) => number | undefined;
}

/** The wait before attempt `attempt + 1`: at least the service's retry-after, exponential otherwise, with full jitter on top. */
export function backoffDelayMs(attempt: number, serverMs: number | undefined, opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {}): number {
  const base = opts.baseDelayMs ?? 100;
  const max = opts.maxDelayMs ?? 10_000;
  const random = opts.random ?? Math.random;
  const exp = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  // Never earlier than the service asked; the jitter only ever adds.
  const floor = Math.min(max, serverMs ?? 0);
  return Math.round(Math.max(floor, exp / 2) + random() * (exp / 2));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` until it succeeds, fails for a reason the policy does not retry, or has had `maxAttempts` (default 6); then rethrows its last error. */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy, opts: RetryOptions = {}): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 6;
  const wait = opts.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!policy.retryable(e) || attempt >= maxAttempts) throw e;
      const delay = backoffDelayMs(attempt, policy.retryAfterMs?.(e), opts);
      opts.onRetry?.(attempt, delay, e);
      await wait(delay);
    }
  }
}
