import { existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { BINDING_SETTING_DEFAULTS, parseSettings, type Settings } from '../../shared/config/settings';
import { createDatabaseAndContainers } from '../../shared/store/cosmos';
import { startAzurite, startCosmosEmulator, type CosmosEmulator, type RunningEmulator } from '../emulators';
import type { CosmosPersistence } from '../emulators/cosmos-persistence';

/** Where the embedded emulators keep their data when LOCAL_DATA_DIR is not set, relative to the project folder. */
export const DEFAULT_LOCAL_DATA_DIR = '.local-data';
/** The LOCAL_DATA_DIR value that keeps the embedded emulators in memory (what the tests use). */
export const IN_MEMORY = 'none';

export interface LocalData {
  /** The data folder; undefined when the embedded emulators run in memory. */
  dir: string | undefined;
  /** Saved data was discarded at start (`--fresh`). */
  discarded: boolean;
  cosmos?: CosmosPersistence;
  azuriteOnDisk: boolean;
}

export interface EmbeddedEmulators {
  embedded: { cosmos: boolean; azurite: boolean };
  localData: LocalData;
  stop(): Promise<unknown>;
}

/** A value still as local.settings.example.json has it (`<...>`): an instruction to the reader, not a setting. */
export const isPlaceholder = (v: string | undefined) => v !== undefined && /^\s*</.test(v);

/** Whether something accepts TCP connections on 127.0.0.1:port within a short wait. */
function listening(port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Makes `cp local.settings.example.json local.settings.json && npm start` work: a value still the example's
 * placeholder is dropped (with a warning naming it), a Cosmos DB endpoint whose key is a placeholder is dropped with
 * it, so the embedded emulator serves instead of a refused connection to an emulator that is not there, and
 * `UseDevelopmentStorage=true` (what `func start` needs, with Azurite running) is served by the embedded Azurite on
 * the same ports when no Azurite answers there.
 */
export async function dropPlaceholderSettings(merged: Record<string, string | undefined>, fromFile: Record<string, string>, log?: (level: string, message: string) => void): Promise<void> {
  if (isPlaceholder(merged.COSMOS_KEY) && merged.COSMOS_ENDPOINT) {
    log?.('warning', `COSMOS_KEY is still the example's placeholder: ignoring COSMOS_ENDPOINT ${merged.COSMOS_ENDPOINT} and using the embedded Cosmos DB emulator (set both to use another emulator or an account).`);
    delete merged.COSMOS_ENDPOINT;
  }
  for (const [name, value] of Object.entries(merged)) {
    // Only local.settings.json's own values: the environment is the user's to set.
    if (!isPlaceholder(value) || fromFile[name] !== value) continue;
    log?.('warning', `${name} is still the example's placeholder "${value!.slice(0, 60)}...": ignored. Set it in local.settings.json to use it.`);
    delete merged[name];
  }
  if (merged.AzureWebJobsStorage?.trim().toLowerCase().replace(/;$/, '') === 'usedevelopmentstorage=true') {
    // UseDevelopmentStorage=true always means Azurite's default ports (queue: 10001).
    if (!(await listening(10001))) {
      log?.('information', 'AzureWebJobsStorage is UseDevelopmentStorage=true and no Azurite answers on port 10001: the embedded Azurite serves it.');
      delete merged.AzureWebJobsStorage;
    }
  }
}

/** The data folder LOCAL_DATA_DIR names (relative to the project folder), or undefined for `none`. */
export function localDataDir(value: string | undefined, appDir: string): string | undefined {
  const v = value?.trim() || DEFAULT_LOCAL_DATA_DIR;
  return v.toLowerCase() === IN_MEMORY ? undefined : path.resolve(appDir, v);
}

export const cosmosDataFile = (dir: string) => path.join(dir, 'cosmos.json');
export const azuriteDataDir = (dir: string) => path.join(dir, 'azurite');

/** `--fresh`: removes what the embedded emulators saved, and nothing else in the folder. */
function discardSavedData(dir: string): boolean {
  const saved = [cosmosDataFile(dir), azuriteDataDir(dir)].filter((p) => existsSync(p));
  for (const p of saved) rmSync(p, { recursive: true, force: true });
  return saved.length > 0;
}

/**
 * Starts the Cosmos emulator and Azurite in this process for whichever of the two `merged` does not configure,
 * and points `merged` at them. They keep their data in the LOCAL_DATA_DIR folder (default .local-data in the
 * project), restored before the host serves anything; `fresh` starts them empty.
 */
export async function startMissingEmulators(
  merged: Record<string, string | undefined>,
  ports: { cosmosPort?: number; azuritePorts?: { blob?: number; queue?: number; table?: number } },
  data: { appDir: string; fresh?: boolean; log?: (level: string, message: string) => void },
): Promise<EmbeddedEmulators> {
  const emulators: RunningEmulator[] = [];
  const embedded = { cosmos: false, azurite: false };
  const needCosmos = !merged.COSMOS_ENDPOINT;
  const needAzurite = !merged.AzureWebJobsStorage && !merged.AzureWebJobsStorage__queueServiceUri;
  const dir = needCosmos || needAzurite ? localDataDir(merged.LOCAL_DATA_DIR, data.appDir) : undefined;
  const localData: LocalData = { dir, discarded: dir !== undefined && data.fresh === true && discardSavedData(dir), azuriteOnDisk: false };
  const stop = () => Promise.allSettled(emulators.map((e) => e.close()));
  try {
    if (needCosmos) {
      const port = ports.cosmosPort ?? Number(merged.LOCAL_COSMOS_PORT ?? 8081);
      const onSaveError = (e: Error) => data.log?.('error', `Saving the Cosmos DB data to ${dir} failed (retried on the next change): ${e.message}`);
      let cosmos: CosmosEmulator;
      try {
        cosmos = await startCosmosEmulator(port, '127.0.0.1', dir ? { dataFile: cosmosDataFile(dir), onSaveError } : {});
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw e;
        // The saved data cannot be read: say so plainly, not as a port problem.
        throw new DataError((e as Error).message);
      }
      emulators.push(cosmos);
      embedded.cosmos = true;
      if (cosmos.persistence) localData.cosmos = cosmos.persistence;
      merged.COSMOS_ENDPOINT = cosmos.endpoint;
      merged.COSMOS_KEY = 'local-emulator';
      merged.COSMOS_CREATE_CONTAINERS = 'true';
    }
    if (needAzurite) {
      const base = Number(merged.LOCAL_AZURITE_PORT ?? 10000);
      // 0 means "any free port" for each service.
      const azuritePorts = base === 0 ? { blob: 0, queue: 0, table: 0 } : { blob: base, queue: base + 1, table: base + 2 };
      const azurite = await startAzurite(ports.azuritePorts ?? azuritePorts, '127.0.0.1', dir ? { location: azuriteDataDir(dir) } : {});
      emulators.push(azurite);
      embedded.azurite = true;
      localData.azuriteOnDisk = dir !== undefined;
      merged.AzureWebJobsStorage = azurite.connectionString;
    }
  } catch (e) {
    await stop();
    if (e instanceof DataError) throw new Error(`Could not start the embedded Cosmos DB emulator: ${e.message}`);
    throw new Error(`Could not start the embedded emulators: ${(e as Error).message}. Is another copy of the app running? Set LOCAL_COSMOS_PORT / LOCAL_AZURITE_PORT to use other ports.`);
  }
  return { embedded, localData, stop };
}

class DataError extends Error {}

/** Publishes `merged` to process.env, parses it, and creates the database and containers if asked to. */
export async function applySettings(merged: Record<string, string | undefined>): Promise<Settings> {
  // In Azure, infra/ sets every %SETTING% a binding names; locally the documented defaults stand in.
  for (const [k, v] of Object.entries(BINDING_SETTING_DEFAULTS)) merged[k] ??= v;
  // The app reads its settings from process.env, as it does under the Functions host.
  for (const [k, v] of Object.entries(merged)) if (v !== undefined) process.env[k] = v;
  const settings = parseSettings(process.env);
  try {
    if (settings.COSMOS_CREATE_CONTAINERS) await createDatabaseAndContainers(settings);
  } catch (e) {
    throw new Error(`Could not create the Cosmos database and containers at ${settings.COSMOS_ENDPOINT}: ${(e as Error).message}`);
  }
  return settings;
}
