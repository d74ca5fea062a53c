import { BINDING_SETTING_DEFAULTS, parseSettings, type Settings } from '../../shared/config/settings';
import { createDatabaseAndContainers } from '../../shared/store/cosmos';
import { startAzurite, startCosmosEmulator, type RunningEmulator } from '../emulators';

export interface EmbeddedEmulators {
  embedded: { cosmos: boolean; azurite: boolean };
  stop(): Promise<unknown>;
}

/**
 * Starts the Cosmos emulator and Azurite in this process for whichever of the two `merged` does not configure,
 * and points `merged` at them.
 */
export async function startMissingEmulators(
  merged: Record<string, string | undefined>,
  ports: { cosmosPort?: number; azuritePorts?: { blob?: number; queue?: number; table?: number } },
): Promise<EmbeddedEmulators> {
  const emulators: RunningEmulator[] = [];
  const embedded = { cosmos: false, azurite: false };
  const stop = () => Promise.allSettled(emulators.map((e) => e.close()));
  try {
    if (!merged.COSMOS_ENDPOINT) {
      const cosmos = await startCosmosEmulator(ports.cosmosPort ?? Number(merged.LOCAL_COSMOS_PORT ?? 8081));
      emulators.push(cosmos);
      embedded.cosmos = true;
      merged.COSMOS_ENDPOINT = cosmos.endpoint;
      merged.COSMOS_KEY = 'local-emulator';
      merged.COSMOS_CREATE_CONTAINERS = 'true';
    }
    if (!merged.AzureWebJobsStorage && !merged.AzureWebJobsStorage__queueServiceUri) {
      const base = Number(merged.LOCAL_AZURITE_PORT ?? 10000);
      // 0 means "any free port" for each service.
      const azuritePorts = base === 0 ? { blob: 0, queue: 0, table: 0 } : { blob: base, queue: base + 1, table: base + 2 };
      const azurite = await startAzurite(ports.azuritePorts ?? azuritePorts);
      emulators.push(azurite);
      embedded.azurite = true;
      merged.AzureWebJobsStorage = azurite.connectionString;
    }
  } catch (e) {
    await stop();
    throw new Error(`Could not start the embedded emulators: ${(e as Error).message}. Is another copy of the app running? Set LOCAL_COSMOS_PORT / LOCAL_AZURITE_PORT to use other ports.`);
  }
  return { embedded, stop };
}

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
