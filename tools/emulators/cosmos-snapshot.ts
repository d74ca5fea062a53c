import { promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import type Account from '@vercel/cosmosdb-server/lib/account';
import type ItemObject from '@vercel/cosmosdb-server/lib/account/item-object';

/**
 * The embedded Cosmos DB emulator's data as one JSON file: every database, container definition and document,
 * exactly as the emulator holds them (`_rid`, `_etag`, `_ts` included, so an etag read before a restart still
 * matches after it), with each resource counter, so ids handed out after a restore do not collide with restored ones.
 * User-defined functions are not kept (the app defines none).
 */
export const SNAPSHOT_FORMAT = 'cosmos-emulator-snapshot';
export const SNAPSHOT_VERSION = 1;

interface SnapshotCollection {
  resource: ItemObject;
  ridCount: number;
  documents: ItemObject[];
}

interface SnapshotDatabase {
  resource: ItemObject;
  collectionsRidCount: number;
  collections: SnapshotCollection[];
}

interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** Counts the snapshots written to the file; journal entries name the one they follow. */
  generation: number;
  savedAt: string;
  databasesRidCount: number;
  databases: SnapshotDatabase[];
}

export interface SnapshotCounts {
  databases: number;
  containers: number;
  documents: number;
}

export interface RestoredSnapshot extends SnapshotCounts {
  savedAt: string;
  generation: number;
}

export function countsOf(account: Account): SnapshotCounts {
  const counts = { databases: 0, containers: 0, documents: 0 };
  for (const db of account.databases._data.values()) {
    counts.databases++;
    for (const coll of db.collections._data.values()) {
      counts.containers++;
      counts.documents += coll.documents._data.size;
    }
  }
  return counts;
}

/** The account as snapshot text. Synchronous, so it is one consistent moment of the data. */
export function serializeAccount(account: Account, generation: number, now = new Date()): string {
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    generation,
    savedAt: now.toISOString(),
    databasesRidCount: account.databases._ridCount,
    databases: [...account.databases._data.values()].map((db) => ({
      resource: db.read(),
      collectionsRidCount: db.collections._ridCount,
      collections: [...db.collections._data.values()].map((coll) => ({
        resource: coll.read(),
        ridCount: coll.documents._ridCount,
        documents: [...coll.documents._data.values()].map((d) => d.read()),
      })),
    })),
  };
  return JSON.stringify(snapshot);
}

/** Puts the snapshot's data into an empty account. */
export function restoreAccount(account: Account, text: string): RestoredSnapshot {
  const snapshot = JSON.parse(text) as Partial<Snapshot>;
  if (snapshot.format !== SNAPSHOT_FORMAT || snapshot.version !== SNAPSHOT_VERSION || !Array.isArray(snapshot.databases)) {
    throw new Error(`not a ${SNAPSHOT_FORMAT} version ${SNAPSHOT_VERSION}`);
  }
  if (account.databases._data.size) throw new Error('the emulator already holds data');
  const counts = { databases: 0, containers: 0, documents: 0 };
  for (const db of snapshot.databases) {
    account.databases._set(db.resource);
    const database = account.database(db.resource.id);
    for (const coll of db.collections) {
      database.collections._set(coll.resource);
      const collection = database.collection(coll.resource.id);
      for (const doc of coll.documents) collection.documents._set(doc);
      collection.documents._ridCount = coll.ridCount;
      counts.containers++;
      counts.documents += coll.documents.length;
    }
    database.collections._ridCount = db.collectionsRidCount;
    counts.databases++;
  }
  account.databases._ridCount = snapshot.databasesRidCount ?? snapshot.databases.length;
  return { ...counts, savedAt: snapshot.savedAt ?? 'unknown', generation: snapshot.generation ?? 0 };
}

/** Reads a file of saved data; undefined when there is none yet. */
export function readDataFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Replaces `file` with `text` so that a crash at any moment leaves either the old or the new content:
 * written to a temporary file beside it, flushed to disk, renamed over it, and the rename flushed too.
 */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await fsp.open(tmp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(tmp, file);
  const dirHandle = await fsp.open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
