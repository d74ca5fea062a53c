/**
 * Retries work that Cosmos DB throttled (429) after the client's own retries gave up. The wait honours the
 * retry-after the service sent, grows exponentially, and is jittered so that many workers throttled at the
 * same moment do not all come back at the same moment.
 */

export interface ThrottleRetryOptions {
  /** Attempts in total, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

export function isThrottle(e: unknown): boolean {
  const err = e as { code?: unknown; statusCode?: unknown } | null;
  return !!err && (err.code === 429 || err.statusCode === 429);
}

/** The service's retry-after for a throttled request, in ms, if it sent one. */
export function retryAfterMs(e: unknown): number | undefined {
  const err = e as { retryAfterInMs?: unknown; retryAfterInMilliseconds?: unknown; headers?: Record<string, unknown> } | null;
  if (!err) return undefined;
  const direct = typeof err.retryAfterInMs === 'number' ? err.retryAfterInMs : typeof err.retryAfterInMilliseconds === 'number' ? err.retryAfterInMilliseconds : undefined;
  if (direct !== undefined && Number.isFinite(direct)) return direct;
  const header = err.headers?.['x-ms-retry-after-ms'];
  const n = typeof header === 'string' || typeof header === 'number' ? Number(header) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** The wait before attempt `attempt + 1`: at least the service's retry-after, exponential otherwise, with full jitter on top. */
export function backoffDelayMs(attempt: number, serverMs: number | undefined, opts: Pick<ThrottleRetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {}): number {
  const base = opts.baseDelayMs ?? 100;
  const max = opts.maxDelayMs ?? 10_000;
  const random = opts.random ?? Math.random;
  const exp = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  // Never earlier than the service asked; the jitter only ever adds.
  const floor = Math.min(max, serverMs ?? 0);
  return Math.round(Math.max(floor, exp / 2) + random() * (exp / 2));
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function withThrottleRetry<T>(fn: () => Promise<T>, opts: ThrottleRetryOptions = {}): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 6;
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isThrottle(e) || attempt >= maxAttempts) throw e;
      const delay = backoffDelayMs(attempt, retryAfterMs(e), opts);
      opts.onRetry?.(attempt, delay, e);
      await sleep(delay);
    }
  }
}
