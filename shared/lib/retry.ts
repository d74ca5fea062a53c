/**
 * The one retry and backoff helper of the service. Retrying work that failed for a passing reason: the wait honours
 * the retry-after the other side sent, grows exponentially, and is jittered so that many workers failing at the same
 * moment do not all come back at the same moment. What counts as passing is the caller's: shared/store/errors.ts says
 * it for Cosmos DB (503, 408, a broken connection; the SDK's own retryOptions take 429), shared/certsync/http.ts for
 * Learn, shared/alerts/deliver.ts for notification receivers (whose wait is a delayed queue message, not a sleep).
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
  // Never earlier than the service asked (up to the maximum); the jitter only ever adds, and never past the maximum.
  const floor = Math.min(max, serverMs ?? 0);
  return Math.round(Math.min(max, Math.max(floor, exp / 2) + random() * (exp / 2)));
}

/** An HTTP Retry-After (delay-seconds or an HTTP date) in ms; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
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
