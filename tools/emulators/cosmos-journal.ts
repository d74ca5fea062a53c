import type Account from '@vercel/cosmosdb-server/lib/account';
import type Collection from '@vercel/cosmosdb-server/lib/account/collection';
import type Database from '@vercel/cosmosdb-server/lib/account/database';
import type Documents from '@vercel/cosmosdb-server/lib/account/documents';
import type ItemObject from '@vercel/cosmosdb-server/lib/account/item-object';

/**
 * Changes to the emulator's documents between two saves, so that a save writes only what changed (a journal line)
 * rather than the whole account. Every write path of the emulator (create, replace, upsert, patch, batch, delete)
 * ends in its documents' `_set` or `delete`, so those two are where changes are seen. Creating or deleting a
 * database or container is rare: it is only flagged, and the next save writes a whole snapshot.
 */
export class ChangeTracker {
  /** `db \0 container \0 _rid` of every document written or deleted since the last `take`. */
  private docs = new Set<string>();
  private structure = false;

  constructor(private readonly account: Account) {
    hookDatabases(account, this);
  }

  get pending(): boolean {
    return this.structure || this.docs.size > 0;
  }

  /** @internal */ doc(db: string, coll: string, rid: string): void {
    this.docs.add(`${db}\0${coll}\0${rid}`);
  }

  /** @internal */ structureChanged(): void {
    this.structure = true;
  }

  /**
   * The journal entry of everything changed since the last call (each document as it is now, or null when it is
   * gone), or 'snapshot' when databases or containers changed and only a whole snapshot will do.
   */
  take(generation: number, now = new Date()): JournalEntry | 'snapshot' | undefined {
    if (this.structure) {
      this.clear();
      return 'snapshot';
    }
    if (!this.docs.size) return undefined;
    const docs: JournalEntry['docs'] = [];
    const ridCounts = new Map<string, [string, string, number]>();
    for (const key of this.docs) {
      const [db, coll, rid] = key.split('\0') as [string, string, string];
      const documents = this.account.database(db).collection(coll).documents;
      docs.push([db, coll, rid, documents._data.get(rid)?.read() ?? null]);
      ridCounts.set(`${db}\0${coll}`, [db, coll, documents._ridCount]);
    }
    this.docs.clear();
    return { generation, at: now.toISOString(), docs, ridCounts: [...ridCounts.values()] };
  }

  clear(): void {
    this.docs.clear();
    this.structure = false;
  }
}

/** One save's worth of changes: a line of the journal file. */
export interface JournalEntry {
  /** The snapshot this entry follows; entries of an older snapshot are already in the newer one. */
  generation: number;
  at: string;
  docs: [db: string, coll: string, rid: string, doc: ItemObject | null][];
  ridCounts: [db: string, coll: string, ridCount: number][];
}

/**
 * Applies journal lines written after the snapshot of `generation`. A torn last line (a kill mid-write) ends it:
 * `validBytes` is where the whole lines end, for the journal to be cut there before anything is appended.
 */
export function replayJournal(account: Account, text: string, generation: number): { entries: number; lastAt?: string; validBytes: number } {
  let entries = 0;
  let lastAt: string | undefined;
  let validBytes = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      break;
    }
    validBytes += Buffer.byteLength(line) + 1;
    if (entry.generation !== generation) continue;
    for (const [db, coll, rid, doc] of entry.docs) {
      const documents = account.database(db).collection(coll).documents;
      removeByRid(documents, rid);
      if (doc) documents._set(doc);
    }
    for (const [db, coll, ridCount] of entry.ridCounts) account.database(db).collection(coll).documents._ridCount = ridCount;
    entries++;
    lastAt = entry.at;
  }
  return { entries, validBytes, ...(lastAt ? { lastAt } : {}) };
}

/** Removes a document and its unique-key index entries, as the emulator's own replace does before it writes. */
function removeByRid(documents: Documents, rid: string): void {
  const existing = documents._data.get(rid)?.read();
  if (existing) documents.delete(existing.id, documents._getPartition(existing));
}

function hookDatabases(account: Account, tracker: ChangeTracker): void {
  const databases = account.databases;
  const set = databases._set.bind(databases);
  const del = databases.delete.bind(databases);
  databases._set = (data) => {
    const r = set(data);
    tracker.structureChanged();
    hookCollections(databases._data.get(r._rid)!, tracker);
    return r;
  };
  databases.delete = (idOrRid, partition) => {
    del(idOrRid, partition);
    tracker.structureChanged();
  };
  for (const db of databases._data.values()) hookCollections(db, tracker);
}

function hookCollections(db: Database, tracker: ChangeTracker): void {
  const collections = db.collections;
  const set = collections._set.bind(collections);
  const del = collections.delete.bind(collections);
  collections._set = (data) => {
    const r = set(data);
    tracker.structureChanged();
    hookDocuments(db.read().id, collections._data.get(r._rid)!, tracker);
    return r;
  };
  collections.delete = (idOrRid, partition) => {
    del(idOrRid, partition);
    tracker.structureChanged();
  };
  for (const coll of collections._data.values()) hookDocuments(db.read().id, coll, tracker);
}

function hookDocuments(dbId: string, coll: Collection, tracker: ChangeTracker): void {
  const documents = coll.documents;
  const collId = coll.read().id;
  const set = documents._set.bind(documents);
  const del = documents.delete.bind(documents);
  documents._set = (data) => {
    const r = set(data);
    tracker.doc(dbId, collId, r._rid);
    return r;
  };
  documents.delete = (idOrRid, partition) => {
    const rid = documents._item('/id', idOrRid, partition).read()?._rid;
    del(idOrRid, partition);
    if (rid) tracker.doc(dbId, collId, rid);
  };
}
