import { withRetry, type RetryOptions } from '../lib/retry';

/**
 * What a failed Cosmos DB request means, read from the error the SDK threw, and the retry of throttled requests.
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

/** Retries work that Cosmos DB throttled (429) after the client's own retries gave up; any other error is rethrown at once. */
export function withThrottleRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  return withRetry(fn, { retryable: isThrottled, retryAfterMs }, opts);
}
