import type { Semaphore } from './limiter';

/**
 * GET with a per-attempt timeout, retried with exponential backoff and full jitter on the answers that mean
 * "try later" (timeouts, network errors, 5xx, 429), honouring Retry-After. Each attempt takes a slot of the
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

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function backoffMs(attempt: number, retryAfterMs: number | undefined, policy: Pick<RetryPolicy, 'backoffMs' | 'maxDelayMs' | 'random'>): number {
  const max = policy.maxDelayMs ?? 30_000;
  const exp = Math.min(max, policy.backoffMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + (policy.random ?? Math.random)() * (exp / 2);
  return Math.round(Math.min(max, Math.max(retryAfterMs ?? 0, jittered)));
}

const transient = (status: number) => status === 429 || status === 408 || status >= 500;

export async function getJsonWithRetry(url: string, limiter: Semaphore, policy: RetryPolicy, headers: Record<string, string> = {}): Promise<FetchOutcome> {
  const sleep = policy.sleep ?? defaultSleep;
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
          retryAfter = parseRetryAfter(res.headers.get('retry-after'));
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
