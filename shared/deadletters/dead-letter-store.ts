import { createHash, randomUUID } from 'node:crypto';
import type { SqlParameter } from '@azure/cosmos';
import { sendMessages } from '../queues/send';
import { createOnce, deleteDocument, queryPage, readDocument, replaceDocument, upsertDocument } from '../store/documents';
import { isPreconditionFailed } from '../store/errors';

/**
 * The app's dead-letter store (container `deadletters`, kept 30 days): messages of any queue that kept
 * failing or can never succeed, with the reason, for an operator to list and replay.
 *
 * The Functions host moves a message to `<queue>-poison` after maxDequeueCount failures without saying
 * why, so handlers record their last error with recordFailure() (keyed by the message text), and the
 * poison intake joins it to the dead letter.
 */
export interface DeadLetterDoc {
  id: string;
  type: 'deadletter';
  queue: string;
  /** The original message text, exactly what replay sends back. */
  body: string;
  reason: string;
  partnerIds: string[];
  firstSeenAt: string;
  recordedAt: string;
  status: 'open' | 'replayed';
  replays: { at: string }[];
}

export interface FailureDoc {
  id: string;
  type: 'failure';
  queue: string;
  lastError: string;
  attempts: number;
  firstAt: string;
  lastAt: string;
  ttl: number;
}

const failureId = (queue: string, body: string) => `failure:${createHash('sha256').update(queue).update('\n').update(body).digest('hex')}`;

/** Partner ids a message is about, when it says so (`partnerId` or `partnerIds`), for filtering. */
export function partnerIdsOf(body: string): string[] {
  try {
    const v = JSON.parse(body) as { partnerId?: unknown; partnerIds?: unknown };
    const ids = [...(typeof v.partnerId === 'string' ? [v.partnerId] : []), ...(Array.isArray(v.partnerIds) ? v.partnerIds.filter((p): p is string => typeof p === 'string') : [])];
    return [...new Set(ids)];
  } catch {
    return [];
  }
}

/** `body` is the original message text; an object is stored as its JSON (what the queue trigger received). */
export async function recordDeadLetter(input: { queue: string; body: unknown; reason: string; partnerId?: string; partnerIds?: string[]; firstSeenAt?: string }): Promise<DeadLetterDoc> {
  const now = new Date().toISOString();
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body ?? null);
  const doc: DeadLetterDoc = {
    id: randomUUID(),
    type: 'deadletter',
    queue: input.queue,
    body,
    reason: input.reason.slice(0, 4000),
    partnerIds: [...new Set([...(input.partnerId ? [input.partnerId] : []), ...(input.partnerIds ?? []), ...partnerIdsOf(body)])],
    firstSeenAt: input.firstSeenAt ?? now,
    recordedAt: now,
    status: 'open',
    replays: [],
  };
  if ((await createOnce('deadletters', doc)) === 'exists') throw new Error(`Dead letter ${doc.id} exists already.`);
  return doc;
}

/** Remembers why a message failed, so its dead letter can say so if it ends in the poison queue. */
export async function recordFailure(queue: string, body: string, error: unknown): Promise<void> {
  const id = failureId(queue, body);
  const now = new Date().toISOString();
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const prev = await readDocument<FailureDoc>('deadletters', id, id);
  const doc: FailureDoc = { id, type: 'failure', queue, lastError: message.slice(0, 4000), attempts: (prev?.attempts ?? 0) + 1, firstAt: prev?.firstAt ?? now, lastAt: now, ttl: 7 * 24 * 3600 };
  await upsertDocument('deadletters', doc);
}

/** Records a message that reached `<queue>-poison`, with the last error its handler recorded. */
export async function recordPoisonMessage(queue: string, body: string, info: { maxDequeueCount?: number; insertedAt?: string } = {}): Promise<DeadLetterDoc> {
  const id = failureId(queue, body);
  const failure = await readDocument<FailureDoc>('deadletters', id, id);
  const times = info.maxDequeueCount ? `${info.maxDequeueCount} times` : 'the maximum number of times';
  const reason = failure ? `failed ${times} on queue ${queue}; last error (${failure.lastAt}, attempt ${failure.attempts}): ${failure.lastError}` : `failed ${times} on queue ${queue}; the handler recorded no error (see the function's logs around ${new Date().toISOString()})`;
  const doc = await recordDeadLetter({ queue, body, reason, firstSeenAt: failure?.firstAt ?? info.insertedAt });
  if (failure) await deleteDocument('deadletters', id, id).catch(() => undefined);
  return doc;
}

export async function getDeadLetter(id: string): Promise<DeadLetterDoc | undefined> {
  const doc = await readDocument<DeadLetterDoc>('deadletters', id, id);
  return doc?.type === 'deadletter' ? doc : undefined;
}

export interface DeadLetterPage {
  items: DeadLetterView[];
  continuationToken?: string;
}

/** Lists dead letters (a cross-partition query: an operator's view, not a hot path). */
export async function listDeadLetters(filter: { queue?: string; partnerId?: string; status?: DeadLetterDoc['status']; continuationToken?: string; limit?: number } = {}): Promise<DeadLetterPage> {
  const where = ['c.type = @type'];
  const parameters: SqlParameter[] = [{ name: '@type', value: 'deadletter' }];
  if (filter.queue) {
    where.push('c.queue = @queue');
    parameters.push({ name: '@queue', value: filter.queue });
  }
  if (filter.partnerId) {
    where.push('ARRAY_CONTAINS(c.partnerIds, @partnerId)');
    parameters.push({ name: '@partnerId', value: filter.partnerId });
  }
  if (filter.status) {
    where.push('c.status = @status');
    parameters.push({ name: '@status', value: filter.status });
  }
  const page = await queryPage<DeadLetterDoc>('deadletters', { query: `SELECT * FROM c WHERE ${where.join(' AND ')}`, parameters }, { maxItemCount: filter.limit ?? 50, continuationToken: filter.continuationToken });
  return { items: page.items.map(strip), ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) };
}

/** A dead letter as the API shows it: without the storage bookkeeping (`type`) or Cosmos DB's system fields. */
export type DeadLetterView = Omit<DeadLetterDoc, 'type'>;

function strip(d: DeadLetterDoc): DeadLetterView {
  const { id, queue, body, reason, partnerIds, firstSeenAt, recordedAt, status, replays } = d;
  return { id, queue, body, reason, partnerIds, firstSeenAt, recordedAt, status, replays };
}

export class DeadLetterNotFound extends Error {}
export class DeadLetterAlreadyReplayed extends Error {}

/**
 * Sends the original message back to its queue and marks the dead letter replayed. A replayed one is
 * only sent again with `force`, so a double click does not apply a delivery twice (though applying is idempotent).
 */
export async function replayDeadLetter(id: string, opts: { force?: boolean } = {}): Promise<DeadLetterView> {
  const doc = await getDeadLetter(id);
  if (!doc) throw new DeadLetterNotFound(`No dead letter ${id}.`);
  if (doc.status === 'replayed' && !opts.force) throw new DeadLetterAlreadyReplayed(`Dead letter ${id} was already replayed on ${doc.replays.at(-1)?.at}; add ?force=true to send it again.`);
  const next: DeadLetterDoc = { ...doc, status: 'replayed', replays: [...doc.replays, { at: new Date().toISOString() }] };
  try {
    // Marking first with the etag means two concurrent replays cannot both send.
    await replaceDocument('deadletters', id, next, { ifMatch: (doc as { _etag?: string })._etag ?? '' });
  } catch (e) {
    if (isPreconditionFailed(e)) throw new DeadLetterAlreadyReplayed(`Dead letter ${id} is being replayed by another request.`);
    throw e;
  }
  try {
    await sendMessages(doc.queue, [doc.body]);
  } catch (e) {
    await replaceDocument('deadletters', id, { ...doc, _etag: undefined } as DeadLetterDoc).catch(() => undefined);
    throw e;
  }
  return strip(next);
}
