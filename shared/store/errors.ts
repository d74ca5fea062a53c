import { withRetry, type RetryOptions } from '../lib/retry';

/**
 * What a failed Cosmos DB request means, read from the error the SDK threw, and the retry of what the SDK does not
 * retry itself. Throttling (429) is the SDK's: its retryOptions (cosmos.ts: attempts and total wait) honour the
 * service's retry-after on every request, reads and writes, so no second layer here repeats a 429.
 * The SDK puts the HTTP status in `code` (other Azure clients in `statusCode`); a point read answers 404 without
 * throwing, so these are for writes, patches, deletes and queries.
 */
export function cosmosStatus(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { code, statusCode } = e as { code?: unknown; statusCode?: unknown };
  return typeof code === 'number' ? code : typeof statusCode === 'number' ? statusCode : undefined;
}

export const isNotFound = (e: unknown) => cosmosStatus(e) === 404;
/** A create of an id that exists (or two writers creating one document at once). */
export const isConflict = (e: unknown) => cosmosStatus(e) === 409;
/** An etag or patch condition no longer matches: another writer came first. */
export const isPreconditionFailed = (e: unknown) => cosmosStatus(e) === 412;
/** Request rate too large: the SDK's own retries (see cosmos.ts) gave up. */
export const isThrottled = (e: unknown) => cosmosStatus(e) === 429;

/** The service's retry-after for a throttled request, in ms, if it sent one. */
export function retryAfterMs(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as { retryAfterInMs?: unknown; retryAfterInMilliseconds?: unknown; headers?: Record<string, unknown> };
  const direct = typeof err.retryAfterInMs === 'number' ? err.retryAfterInMs : typeof err.retryAfterInMilliseconds === 'number' ? err.retryAfterInMilliseconds : undefined;
  if (direct !== undefined && Number.isFinite(direct)) return direct;
  const header = err.headers?.['x-ms-retry-after-ms'];
  const n = typeof header === 'string' || typeof header === 'number' ? Number(header) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Connection failures as Node and the SDK report them: the request may or may not have reached the service. */
const CONNECTION_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'REQUEST_SEND_ERROR', 'TimeoutError', 'UND_ERR_SOCKET']);

function isConnectionError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { code, cause, message } = e as { code?: unknown; cause?: unknown; message?: unknown };
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  if (typeof message === 'string' && /socket hang up|ECONNRESET|ECONNREFUSED|EPIPE/.test(message)) return true;
  return cause !== undefined && cause !== e && isConnectionError(cause);
}

/**
 * A failure that passes and that the SDK does not retry: unavailable (503), timed out (408), or a broken connection.
 * With endpoint discovery off (emulators) or on a single-region account the SDK retries none of them for a write.
 * A 429 is not here: the SDK has already retried it as long as its retryOptions allow, and a 429 that reaches us
 * means the account is short of throughput for longer than that, which another round of ours would not change.
 */
export function isTransient(e: unknown): boolean {
  const status = cosmosStatus(e);
  return status === 503 || status === 408 || isConnectionError(e);
}

/**
 * A transient failure after which the service may have done the work (a throttled request is never executed, and is
 * not transient here anyway). A retried create can then meet its own document (409), a retried replace its own etag
 * change (412).
 */
export const mayHaveExecuted = (e: unknown) => isTransient(e);

/**
 * Retries work that failed for a passing reason (isTransient). Only for work that is
 * safe to repeat, or whose caller handles a repeat (onRetry tells it an attempt may have been done). Ten attempts: at a
 * 20% fault rate six would leave one call in 15,000 failing.
 */
export function withTransientRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as RetryOptions;
  return withRetry(fn, { retryable: isTransient, retryAfterMs }, { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 2000, ...given });
}
