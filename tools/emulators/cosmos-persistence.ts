import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CosmosServer } from './cosmos-server';
import { countsOf, readSnapshotFile, restoreAccount, serializeAccount, writeFileAtomically, type RestoredSnapshot, type SnapshotCounts } from './cosmos-snapshot';

/** How often changed data is saved: a SIGKILL loses at most the writes of this interval and of a save under way. */
export const COSMOS_SAVE_INTERVAL_MS = 500;

export interface SaveStats extends SnapshotCounts {
  bytes: number;
  ms: number;
}

export interface CosmosPersistence {
  file: string;
  /** What the file held at start (undefined: there was no file). */
  restored: RestoredSnapshot | undefined;
  /** Saves now if anything changed since the last save (waiting for one under way). */
  flush(): Promise<SaveStats | undefined>;
  /** Stops the timer and saves what is left. */
  stop(): Promise<void>;
  lastSave(): SaveStats | undefined;
}

/**
 * Restores `file` into the server's (empty) account, then saves the account to it whenever requests changed it,
 * at most every `intervalMs`. Call `restore` from the server's listening callback, before any request is served.
 */
export function persistCosmos(server: CosmosServer, file: string, opts: { intervalMs?: number; onError?: (e: Error) => void } = {}) {
  let restored: RestoredSnapshot | undefined;
  let savedMutations = 0;
  let saving: Promise<SaveStats | undefined> | undefined;
  let last: SaveStats | undefined;
  let timer: NodeJS.Timeout | undefined;

  const saveOnce = async (): Promise<SaveStats | undefined> => {
    const seen = server.mutations();
    if (seen === savedMutations) return undefined;
    const started = performance.now();
    const account = server.account();
    const text = serializeAccount(account);
    await writeFileAtomically(file, text);
    savedMutations = seen;
    last = { ...countsOf(account), bytes: Buffer.byteLength(text), ms: Math.round(performance.now() - started) };
    return last;
  };
  const flush = async (): Promise<SaveStats | undefined> => {
    while (saving) await saving.catch(() => undefined);
    saving = saveOnce().finally(() => (saving = undefined));
    return saving;
  };

  return {
    restore(): void {
      mkdirSync(path.dirname(file), { recursive: true });
      const text = readSnapshotFile(file);
      if (text !== undefined) {
        try {
          restored = restoreAccount(server.account(), text);
        } catch (e) {
          throw new Error(`The saved Cosmos DB data in ${file} cannot be read (${(e as Error).message}). Move it away, or start with --fresh to discard it.`);
        }
      }
      timer = setInterval(() => {
        if (saving || server.mutations() === savedMutations) return;
        flush().catch((e: unknown) => opts.onError?.(e as Error));
      }, opts.intervalMs ?? COSMOS_SAVE_INTERVAL_MS);
      timer.unref();
    },
    persistence: {
      file,
      get restored() {
        return restored;
      },
      flush,
      lastSave: () => last,
      async stop() {
        if (timer) clearInterval(timer);
        timer = undefined;
        await flush();
      },
    } satisfies CosmosPersistence,
  };
}
