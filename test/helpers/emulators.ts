import { afterAll, beforeAll, inject } from 'vitest';
import { getSettings, resetSettingsCache } from '../../shared/config/settings';
import { resetQueueServiceForTests } from '../../shared/queues/client';
import { resetBlobServiceForTests } from '../../shared/storage/blob';
import { createDatabaseAndContainers, resetCosmosClientForTests } from '../../shared/store/cosmos';
import { startAzurite, type AzuriteEmulator } from '../../tools/emulators';
import { uniqueSuffix } from './ids';

/** The settings that point at the run's Cosmos emulator and Azurite (started by test/setup/global-setup.ts). */
export function emulatorEnv(): { COSMOS_ENDPOINT: string; COSMOS_KEY: string; AzureWebJobsStorage: string } {
  return { COSMOS_ENDPOINT: inject('cosmosEndpoint'), COSMOS_KEY: 'test', AzureWebJobsStorage: inject('storageConnectionString') };
}

export interface IsolatedStores {
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Points this test process at the run's Cosmos emulator with a database of its own, and (optionally) at an Azurite of
 * its own: queue names are fixed, so a host started by another test file would otherwise take this file's messages.
 * A host started with `env` (or inheriting process.env) uses the same stores, so a run it starts lists only this
 * file's partners. `env` adds or overrides settings.
 */
export async function isolatedStores(opts: { ownAzurite?: boolean; env?: Record<string, string> } = {}): Promise<IsolatedStores> {
  let azurite: AzuriteEmulator | undefined;
  if (opts.ownAzurite) azurite = await startAzurite();
  const env: Record<string, string> = {
    ...emulatorEnv(),
    COSMOS_DATABASE: `t-${uniqueSuffix()}`,
    COSMOS_CREATE_CONTAINERS: 'true',
    ...(azurite ? { AzureWebJobsStorage: azurite.connectionString } : {}),
    RECOMPUTE_COALESCE_SECONDS: '0',
    ...opts.env,
  };
  Object.assign(process.env, env);
  resetSettingsCache();
  resetCosmosClientForTests();
  resetQueueServiceForTests();
  resetBlobServiceForTests();
  await createDatabaseAndContainers(getSettings());
  return { env, close: async () => void (await azurite?.close()) };
}

/** `isolatedStores` for a whole describe block: set up before its first test, closed after its last. */
export function useIsolatedStores(opts: Parameters<typeof isolatedStores>[0] = {}): void {
  let stores: IsolatedStores | undefined;
  beforeAll(async () => {
    stores = await isolatedStores(opts);
  });
  afterAll(async () => stores?.close());
}
