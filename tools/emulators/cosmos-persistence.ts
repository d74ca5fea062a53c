import { mkdirSync, promises as fsp, truncateSync } from 'node:fs';
import path from 'node:path';
import { ChangeTracker, replayJournal } from './cosmos-journal';
import type { CosmosServer } from './cosmos-server';
import { countsOf, readDataFile, restoreAccount, serializeAccount, writeFileAtomically, type SnapshotCounts } from './cosmos-snapshot';

/** How often changes are saved: a SIGKILL loses at most the writes of this interval and of the journal write under way. */
export const COSMOS_SAVE_INTERVAL_MS = 500;
/** The journal is folded into a new snapshot once it outgrows the snapshot (and this), so replay stays short. */
const MIN_COMPACT_BYTES = 4 * 1024 * 1024;

export interface SaveStats {
  kind: 'snapshot' | 'journal';
  documents: number;
  bytes: number;
  ms: number;
}

export interface RestoredData extends SnapshotCounts {
  /** When the last save before the restart was made. */
  savedAt: string;
}

export interface CosmosPersistence {
  /** The snapshot file; the journal is beside it (`<file>.journal`). */
  file: string;
  /** What the files held at start (undefined: there were none). */
  readonly restored: RestoredData | undefined;
  /** Saves what changed since the last save, now (after any save under way). */
  flush(): Promise<SaveStats | undefined>;
  /** Stops the timer, saves what is left and folds the journal into the snapshot. */
  stop(): Promise<void>;
  lastSave(): SaveStats | undefined;
}

/**
 * Keeps the embedded emulator's account in `file`: a snapshot of everything (written atomically: temporary file,
 * fsync, rename) plus a journal of the documents changed since (one line per save, fsync'd), so a save costs what
 * changed, not the whole data. `restore` must run in the server's listening callback, before any request.
 */
export function persistCosmos(server: CosmosServer, file: string, opts: { intervalMs?: number; onError?: (e: Error) => void } = {}) {
  const journalFile = `${file}.journal`;
  let restored: RestoredData | undefined;
  let tracker: ChangeTracker | undefined;
  let journal: fsp.FileHandle | undefined;
  let generation = 0;
  let snapshotBytes = 0;
  let journalBytes = 0;
  /** After a failed save (its changes taken but maybe not written): the next save writes a whole snapshot. */
  let needSnapshot = false;
  let saving: Promise<SaveStats | undefined> | undefined;
  let last: SaveStats | undefined;
  let timer: NodeJS.Timeout | undefined;

  const writeSnapshot = async (started: number): Promise<SaveStats> => {
    const account = server.account();
    tracker!.clear();
    const text = serializeAccount(account, generation + 1);
    await writeFileAtomically(file, text);
    generation++;
    snapshotBytes = Buffer.byteLength(text);
    // Entries of the previous generation are in the snapshot now; were the truncation lost, replay skips them.
    journal ??= await fsp.open(journalFile, 'a');
    await journal.truncate(0);
    await journal.sync();
    journalBytes = 0;
    return { kind: 'snapshot', documents: countsOf(account).documents, bytes: snapshotBytes, ms: Math.round(performance.now() - started) };
  };

  const saveOnce = async (compact: boolean): Promise<SaveStats | undefined> => {
    const started = performance.now();
    const entry = tracker!.take(generation);
    if (entry === undefined && !needSnapshot && !(compact && journalBytes > 0)) return undefined;
    try {
      if (entry === 'snapshot' || needSnapshot) return await writeSnapshot(started);
      let stats: SaveStats | undefined;
      // The changes are on disk (journal) before any snapshot starts: a kill during a long snapshot loses none of them.
      if (entry) {
        const line = `${JSON.stringify(entry)}\n`;
        journal ??= await fsp.open(journalFile, 'a');
        await journal.write(line);
        await journal.datasync();
        journalBytes += Buffer.byteLength(line);
        stats = { kind: 'journal', documents: entry.docs.length, bytes: Buffer.byteLength(line), ms: Math.round(performance.now() - started) };
      }
      if (compact || journalBytes > Math.max(snapshotBytes, MIN_COMPACT_BYTES)) return await writeSnapshot(started);
      return stats;
    } catch (e) {
      // Its changes were taken and may be half written: only a whole snapshot is sure to hold them.
      needSnapshot = true;
      throw e;
    }
  };

  const save = async (compact = false): Promise<SaveStats | undefined> => {
    while (saving) await saving.catch(() => undefined);
    saving = saveOnce(compact).finally(() => (saving = undefined));
    const stats = await saving;
    if (stats) last = stats;
    return stats;
  };

  return {
    restore(): void {
      mkdirSync(path.dirname(file), { recursive: true });
      const account = server.account();
      try {
        const snapshot = readDataFile(file);
        if (snapshot !== undefined) {
          const base = restoreAccount(account, snapshot);
          generation = base.generation;
          snapshotBytes = Buffer.byteLength(snapshot);
          const text = readDataFile(journalFile) ?? '';
          const replayed = replayJournal(account, text, generation);
          // A torn last line is cut off, so that lines appended from now on are read back.
          if (replayed.validBytes < Buffer.byteLength(text)) truncateSync(journalFile, replayed.validBytes);
          journalBytes = replayed.validBytes;
          const { databases, containers, documents } = countsOf(account);
          restored = { databases, containers, documents, savedAt: replayed.lastAt ?? base.savedAt };
        }
      } catch (e) {
        throw new Error(`The saved Cosmos DB data in ${file} cannot be read (${(e as Error).message}). Move it away, or start with --fresh to discard it.`);
      }
      tracker = new ChangeTracker(account);
      timer = setInterval(() => {
        if (saving || !(tracker!.pending || needSnapshot)) return;
        save().catch((e: unknown) => opts.onError?.(e as Error));
      }, opts.intervalMs ?? COSMOS_SAVE_INTERVAL_MS);
      timer.unref();
    },
    persistence: {
      file,
      get restored() {
        return restored;
      },
      flush: () => save(),
      lastSave: () => last,
      async stop() {
        if (timer) clearInterval(timer);
        timer = undefined;
        if (tracker) await save(true);
        await journal?.close();
        journal = undefined;
      },
    } satisfies CosmosPersistence,
  };
}
