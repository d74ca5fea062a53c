import type { ItemDefinition, PatchRequestBody, SqlQuerySpec } from '@azure/cosmos';
import { getSettings } from '../config/settings';
import { isSafeDocumentId } from '../lib/ids';
import { CONTAINERS, type ContainerKey } from './containers';
import { getContainer } from './cosmos';
import { isConflict, isNotFound, withThrottleRetry } from './errors';
import { optimisticUpdate, type OptimisticUpdateOptions } from './optimistic-update';
import type { RequestCharges } from './request-charges';

/**
 * Every read and write of a Cosmos DB document, for every store: by container key, partition key and id. Each
 * operation retries a throttled request (429) with jittered backoff, and counts its request charge in `charges`
 * when given one (one read or write per successful request, as the benchmarks report them).
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

// One request each, no retry: the exported operations and the update loop add the throttle retry around them.

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
  return withThrottleRetry(() => attemptRead<T>(key, partitionKey, id, charges));
}

/** Creates the document unless its id exists: the create is the deduplication. */
export async function createOnce<T extends Doc>(key: ContainerKey, doc: T, charges?: RequestCharges): Promise<T | 'exists'> {
  try {
    return await withThrottleRetry(() => attemptCreate(key, doc, charges));
  } catch (e) {
    if (isConflict(e)) return 'exists';
    throw e;
  }
}

export async function upsertDocument<T extends Doc>(key: ContainerKey, doc: T, charges?: RequestCharges): Promise<T> {
  guard(key, partitionKeyOf(key, doc), doc.id);
  const res = await withThrottleRetry(() => container(key).items.upsert<T>(doc));
  charges?.add('write', res.requestCharge);
  return res.resource as T;
}

/** Replaces the document; with `ifMatch`, only if its etag is still that one (else a 412: isPreconditionFailed). */
export function replaceDocument<T extends Doc>(key: ContainerKey, partitionKey: string, doc: T, opts: { ifMatch?: string; charges?: RequestCharges } = {}): Promise<T> {
  return withThrottleRetry(() => attemptReplace(key, partitionKey, doc, opts));
}

/** Applies patch operations (with a condition, a 412 when it does not hold: isPreconditionFailed); returns the document after them. */
export async function patchDocument<T extends object>(key: ContainerKey, partitionKey: string, id: string, body: PatchRequestBody, charges?: RequestCharges): Promise<T> {
  guard(key, partitionKey, id);
  const res = await withThrottleRetry(() => container(key).item(id, partitionKey).patch<T & ItemDefinition>(body));
  charges?.add('write', res.requestCharge);
  return res.resource as T;
}

/** Deletes the document; false when there was none. */
export async function deleteDocument(key: ContainerKey, partitionKey: string, id: string): Promise<boolean> {
  guard(key, partitionKey, id);
  try {
    await withThrottleRetry(() => container(key).item(id, partitionKey).delete());
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** One page of a query (cross-partition unless the query pins the partition key). */
export async function queryPage<T>(key: ContainerKey, query: SqlQuerySpec, opts: { maxItemCount?: number; continuationToken?: string } = {}): Promise<{ items: T[]; continuationToken?: string }> {
  const page = await withThrottleRetry(() => container(key).items.query<T>(query, { maxItemCount: opts.maxItemCount, continuationToken: opts.continuationToken }).fetchNext());
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
