import { backoffDelayMs, sleep, type RetryOptions } from '../lib/retry';
import { isConflict, isPreconditionFailed, mayHaveExecuted, withTransientRetry } from './errors';

/**
 * The one read-modify-write loop of the app, with optimistic concurrency: the write carries the etag it read, and
 * when another writer came first (412, or 409 when two writers create the document) it re-reads and re-applies.
 * Reads and writes that fail for a passing reason (429, 503, 408, a broken connection) are retried on their own,
 * honouring retry-after, without spending an attempt. A write that may have been done before it failed is followed
 * by a conflict on its own etag: the re-read then finds nothing to change, and the update still reports a change.
 * It knows documents only through `VersionedAccess`, so the decisions can be tested on errors shaped like the SDK's.
 */

export class ConcurrencyExhaustedError extends Error {}

export interface VersionedAccess<T> {
  /** The document as stored now; undefined when there is none. */
  read(): Promise<T | undefined>;
  /** Replaces `current` if its etag still matches, or creates the document when there is no `current`; returns what was stored. */
  write(doc: T, current: T | undefined): Promise<T>;
}

export interface OptimisticUpdateOptions<T> {
  /** The document as the caller already read it (null: known not to exist), which saves the first read. */
  current?: T | null;
  /** Writes tried in total before giving up with ConcurrencyExhaustedError (default 20). */
  maxAttempts?: number;
  /** Names the document in the error. */
  what: string;
  /** For the waits between attempts and after a 429; tests pass their own sleep and random. */
  retry?: Pick<RetryOptions, 'sleep' | 'random' | 'maxAttempts'>;
}

/** Jittered backoff after a conflict: short, since the winner has already written; spreads writers that collided. */
const CONFLICT_BACKOFF = { baseDelayMs: 10, maxDelayMs: 200 };

/**
 * `mutate` changes the document in place and returns false when there is nothing to change, so no write happens;
 * it may run several times (on a fresh copy each time), so it must be idempotent. `init` gives the document to
 * mutate when none exists.
 */
export async function optimisticUpdate<T extends { _etag?: string }>(
  access: VersionedAccess<T>,
  init: () => T,
  mutate: (doc: T) => boolean,
  opts: OptimisticUpdateOptions<T>,
): Promise<{ doc: T; changed: boolean }> {
  const maxAttempts = opts.maxAttempts ?? 20;
  const throttle = { sleep: opts.retry?.sleep, random: opts.retry?.random, maxAttempts: opts.retry?.maxAttempts };
  let preread = opts.current;
  // Set when a write failed in a way that may have stored it: "nothing to change" afterwards means it did.
  let uncertain = false;
  const write = { ...throttle, onRetry: (_n: number, _ms: number, e: unknown) => void (uncertain ||= mayHaveExecuted(e)) };
  for (let attempt = 1; ; attempt++) {
    const current = preread !== undefined ? (preread ?? undefined) : await withTransientRetry(() => access.read(), throttle);
    preread = undefined;
    const doc: T = current ? structuredClone(current) : init();
    if (!mutate(doc)) return { doc: current ?? doc, changed: uncertain };
    try {
      return { doc: await withTransientRetry(() => access.write(doc, current), write), changed: true };
    } catch (e) {
      if (!isPreconditionFailed(e) && !isConflict(e)) throw e;
      if (attempt >= maxAttempts) throw new ConcurrencyExhaustedError(`Gave up on ${opts.what} after ${attempt} conflicting writes.`);
      await (opts.retry?.sleep ?? sleep)(backoffDelayMs(attempt, undefined, { ...CONFLICT_BACKOFF, random: opts.retry?.random }));
    }
  }
}
