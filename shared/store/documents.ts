import type { ItemDefinition, PatchRequestBody, SqlQuerySpec } from '@azure/cosmos';
import { getSettings } from '../config/settings';
import { isSafeDocumentId } from '../lib/ids';
import { CONTAINERS, type ContainerKey } from './containers';
import { getContainer } from './cosmos';
import { isConflict, isNotFound, mayHaveExecuted, withTransientRetry } from './errors';
import { optimisticUpdate, type OptimisticUpdateOptions } from './optimistic-update';
import type { RequestCharges } from './request-charges';

/**
 * Every read and write of a Cosmos DB document, for every store: by container key, partition key and id. Each
 * operation retries a transient failure (429, 503, 408, a broken connection: errors.ts) with jittered backoff, and
 * counts its request charge in `charges` when given one (one read or write per successful request, as the benchmarks
 * report them). A write whose attempt may have been done before it failed is retried only where a repeat is
 * harmless or recognised: a create that meets its own document, a replace or patch that sets values.
 */

type Doc = ItemDefinition & { id: string };

const container = (key: ContainerKey) => getContainer(getSettings(), key);

/** A caller passed an id that must never reach Cosmos DB; routes refuse such ids with a 400 before they get here. */
export class UnsafeDocumentIdError extends Error {}

/**
 * The last guard before a request leaves: a `?` in a point read's id makes the emulator list the whole container,
 * and / \ # make Cosmos DB answer 400. So no caller, even by mistake, sends one.
 */
/** The document's partition key value, read from the field its container is partitioned by. */
function partitionKeyOf(key: ContainerKey, doc: Doc): string {
  const value = (doc as Record<string, unknown>)[CONTAINERS[key].partitionKey.slice(1)];
  return typeof value === 'string' ? value : '';
}

function guard(key: ContainerKey, partitionKey: string, id: string): void {
  for (const [what, value] of [['partition key', partitionKey], ['id', id]] as const) {
    if (!isSafeDocumentId(value)) throw new UnsafeDocumentIdError(`Refused a ${key} document ${what} ${JSON.stringify(value.slice(0, 200))}: it must not be empty or contain / \\ ? # or control characters.`);
  }
}

// One request each, no retry: the exported operations and the update loop add the retry around them.

async function attemptRead<T extends object>(key: ContainerKey, partitionKey: string, id: string, charges?: RequestCharges): Promise<T | undefined> {
  guard(key, partitionKey, id);
  const res = await container(key).item(id, partitionKey).read<T & ItemDefinition>();
  charges?.add('read', res.requestCharge);
  return res.statusCode === 404 ? undefined : (res.resource as T | undefined);
}

async function attemptCreate<T extends Doc>(key: ContainerKey, doc: T, charges?: RequestCharges): Promise<T> {
  guard(key, partitionKeyOf(key, doc), doc.id);
  const res = await container(key).items.create<T>(doc);
  charges?.add('write', res.requestCharge);
  return res.resource as T;
}

async function attemptReplace<T extends Doc>(key: ContainerKey, partitionKey: string, doc: T, opts: { ifMatch?: string; charges?: RequestCharges }): Promise<T> {
  guard(key, partitionKey, doc.id);
  const options = opts.ifMatch !== undefined ? { accessCondition: { type: 'IfMatch', condition: opts.ifMatch } } : {};
  const res = await container(key).item(doc.id, partitionKey).replace<T>(doc, options);
  opts.charges?.add('write', res.requestCharge);
  return res.resource as T;
}

/** Point read; undefined when the document does not exist. */
export function readDocument<T extends object>(key: ContainerKey, partitionKey: string, id: string, charges?: RequestCharges): Promise<T | undefined> {
  return withTransientRetry(() => attemptRead<T>(key, partitionKey, id, charges));
}

/** The document's own fields, without those Cosmos DB adds: what tells a document we wrote from another one. */
export function ownFields(doc: object): string {
  return JSON.stringify(Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_')).sort(([a], [b]) => a.localeCompare(b))));
}

/**
 * Creates the document unless its id exists: the create is the deduplication. When an attempt failed after it may
 * have been done (a timeout, a reset) and the retry meets an existing document, that document is ours if it holds
 * exactly what we sent: without this check a delivery whose receipt was written but whose answer was lost would be
 * taken for a duplicate of itself, and never queued.
 */
export async function createOnce<T extends Doc>(key: ContainerKey, doc: T, charges?: RequestCharges): Promise<T | 'exists'> {
  let uncertain = false;
  try {
    return await withTransientRetry(() => attemptCreate(key, doc, charges), { onRetry: (_n, _ms, e) => void (uncertain ||= mayHaveExecuted(e)) });
  } catch (e) {
    if (!isConflict(e)) throw e;
    if (uncertain) {
      const stored = await readDocument<T>(key, partitionKeyOf(key, doc), doc.id, charges);
      if (stored && ownFields(stored) === ownFields(doc)) return stored;
    }
    return 'exists';
  }
}

export async function upsertDocument<T extends Doc>(key: ContainerKey, doc: T, charges?: RequestCharges): Promise<T> {
  guard(key, partitionKeyOf(key, doc), doc.id);
  const res = await withTransientRetry(() => container(key).items.upsert<T>(doc));
  charges?.add('write', res.requestCharge);
  return res.resource as T;
}

/**
 * Replaces the document; with `ifMatch`, only if its etag is still that one (else a 412: isPreconditionFailed). A
 * conditional replace gets no retry of ours, only the SDK's for a 429 (cosmos.ts retryOptions): after a lost answer a
 * retry would fail on its own new etag.
 */
export function replaceDocument<T extends Doc>(key: ContainerKey, partitionKey: string, doc: T, opts: { ifMatch?: string; charges?: RequestCharges } = {}): Promise<T> {
  if (opts.ifMatch !== undefined) return attemptReplace(key, partitionKey, doc, opts);
  return withTransientRetry(() => attemptReplace(key, partitionKey, doc, opts));
}

/** Whether applying the operations twice leaves the document as applying them once (no increments, no appends). */
export function isRepeatablePatch(body: PatchRequestBody): boolean {
  const ops = Array.isArray(body) ? body : body.operations;
  return ops.every((op) => op.op === 'set' || op.op === 'replace' || op.op === 'remove' || (op.op === 'add' && !op.path.endsWith('/-')));
}

/**
 * Applies patch operations (with a condition, a 412 when it does not hold: isPreconditionFailed); returns the document
 * after them. A patch that increments or appends gets only the SDK's retry of a 429 (a throttled request was not
 * executed), never ours, so a lost answer never counts twice.
 */
export async function patchDocument<T extends object>(key: ContainerKey, partitionKey: string, id: string, body: PatchRequestBody, charges?: RequestCharges): Promise<T> {
  guard(key, partitionKey, id);
  const attempt = () => container(key).item(id, partitionKey).patch<T & ItemDefinition>(body);
  const res = await (isRepeatablePatch(body) ? withTransientRetry(attempt) : attempt());
  charges?.add('write', res.requestCharge);
  return res.resource as T;
}

/** Deletes the document; false when there was none (true when an attempt that failed may have deleted it). */
export async function deleteDocument(key: ContainerKey, partitionKey: string, id: string): Promise<boolean> {
  guard(key, partitionKey, id);
  let uncertain = false;
  try {
    await withTransientRetry(() => container(key).item(id, partitionKey).delete(), { onRetry: (_n, _ms, e) => void (uncertain ||= mayHaveExecuted(e)) });
    return true;
  } catch (e) {
    if (isNotFound(e)) return uncertain;
    throw e;
  }
}

/** One page of a query (cross-partition unless the query pins the partition key). */
export async function queryPage<T>(key: ContainerKey, query: SqlQuerySpec, opts: { maxItemCount?: number; continuationToken?: string } = {}): Promise<{ items: T[]; continuationToken?: string }> {
  const page = await withTransientRetry(() => container(key).items.query<T>(query, { maxItemCount: opts.maxItemCount, continuationToken: opts.continuationToken }).fetchNext());
  return { items: page.resources, ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) };
}

export type UpdateDocumentOptions<T> = Omit<OptimisticUpdateOptions<T>, 'what'> & { charges?: RequestCharges };

/**
 * Read-modify-write of one document guarded by its etag (see optimistic-update.ts): `mutate` returns false when
 * nothing changes, and may run more than once, so it must be idempotent.
 */
export function updateDocument<T extends Doc & { _etag?: string }>(
  key: ContainerKey,
  partitionKey: string,
  id: string,
  init: () => T,
  mutate: (doc: T) => boolean,
  opts: UpdateDocumentOptions<T> = {},
): Promise<{ doc: T; changed: boolean }> {
  const { charges, ...rest } = opts;
  return optimisticUpdate<T>(
    {
      read: () => attemptRead<T>(key, partitionKey, id, charges),
      write: (doc, current) => (current?._etag ? attemptReplace(key, partitionKey, doc, { ifMatch: current._etag, charges }) : attemptCreate(key, doc, charges)),
    },
    init,
    mutate,
    { ...rest, what: `${key}/${partitionKey}/${id}` },
  );
}
