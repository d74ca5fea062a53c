import { backoffDelayMs, parseRetryAfterMs, sleep as realSleep } from '../lib/retry';
import type { Semaphore } from './limiter';

/**
 * GET with a per-attempt timeout, retried on the answers that mean "try later" (timeouts, network errors, 5xx, 429)
 * with the service's one backoff (shared/lib/retry.ts: exponential, jittered, honouring Retry-After). Each attempt takes a slot of the
 * source's limiter and gives it back before sleeping, so a backing-off sync never holds capacity idle.
 */

export interface RetryPolicy {
  maxAttempts: number;
  timeoutMs: number;
  backoffMs: number;
  /** Longest single wait, whatever Retry-After says, so one source cannot park a sync for hours. */
  maxDelayMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type FetchOutcome =
  | { kind: 'ok'; status: number; body: unknown; attempts: number }
  | { kind: 'not-found'; status: number; attempts: number }
  | { kind: 'unavailable'; reason: string; attempts: number }
  | { kind: 'error'; reason: string; attempts: number };

/** Requests made by this process, by outcome of each attempt (logs and benchmark). */
export const fetchStats = { requests: 0, retries: 0 };

/** The wait before attempt `attempt + 1`, at most `maxDelayMs` (default 30 s) whatever Retry-After says. */
export function backoffMs(attempt: number, retryAfterMs: number | undefined, policy: Pick<RetryPolicy, 'backoffMs' | 'maxDelayMs' | 'random'>): number {
  return backoffDelayMs(attempt, retryAfterMs, { baseDelayMs: policy.backoffMs, maxDelayMs: policy.maxDelayMs ?? 30_000, random: policy.random });
}

const transient = (status: number) => status === 429 || status === 408 || status >= 500;

export async function getJsonWithRetry(url: string, limiter: Semaphore, policy: RetryPolicy, headers: Record<string, string> = {}): Promise<FetchOutcome> {
  const sleep = policy.sleep ?? realSleep;
  let lastReason = '';
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    let retryAfter: number | undefined;
    const result = await limiter.run(async (): Promise<FetchOutcome | undefined> => {
      fetchStats.requests++;
      try {
        const res = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(policy.timeoutMs) });
        if (res.status === 404 || res.status === 410 || res.status === 403) {
          await res.body?.cancel();
          return { kind: 'not-found', status: res.status, attempts: attempt };
        }
        if (transient(res.status)) {
          retryAfter = parseRetryAfterMs(res.headers.get('retry-after'));
          await res.body?.cancel();
          lastReason = `HTTP ${res.status}${res.status === 429 ? ' (throttled)' : ''}`;
          return undefined;
        }
        const text = await res.text();
        if (!res.ok) return { kind: 'error', reason: `HTTP ${res.status}: ${text.slice(0, 200)}`, attempts: attempt };
        try {
          return { kind: 'ok', status: res.status, body: JSON.parse(text) as unknown, attempts: attempt };
        } catch {
          return { kind: 'error', reason: `the answer is not JSON (${res.headers.get('content-type') ?? 'no content type'})`, attempts: attempt };
        }
      } catch (e) {
        const err = e as Error;
        lastReason = err.name === 'TimeoutError' || err.name === 'AbortError' ? `no answer within ${policy.timeoutMs} ms` : `network error: ${err.message}${(err as { cause?: Error }).cause ? ` (${(err as { cause?: Error }).cause!.message})` : ''}`;
        return undefined;
      }
    });
    if (result) return result;
    if (attempt < policy.maxAttempts) {
      fetchStats.retries++;
      await sleep(backoffMs(attempt, retryAfter, policy));
    }
  }
  return { kind: 'unavailable', reason: `${lastReason} after ${policy.maxAttempts} attempts`, attempts: policy.maxAttempts };
}
