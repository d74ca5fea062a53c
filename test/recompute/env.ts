import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { getSettings, resetSettingsCache } from '../../shared/config/settings';
import { resetQueueServiceForTests } from '../../shared/queues/client';
import { createDatabaseAndContainers, resetCosmosClientForTests } from '../../shared/store/cosmos';
import { startAzurite, type AzuriteEmulator } from '../../tools/emulators';

export interface IsolatedStores {
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Points this test process at the run's Cosmos emulator with a database of its own, and (optionally) at an Azurite of
 * its own: queue names are fixed, so a host started by another test file would otherwise take this file's messages.
 */
export async function isolatedStores(opts: { ownAzurite?: boolean } = {}): Promise<IsolatedStores> {
  let azurite: AzuriteEmulator | undefined;
  if (opts.ownAzurite) azurite = await startAzurite();
  const env: Record<string, string> = {
    COSMOS_ENDPOINT: inject('cosmosEndpoint'),
    COSMOS_KEY: 'test',
    COSMOS_DATABASE: `t-${randomUUID().slice(0, 12)}`,
    COSMOS_CREATE_CONTAINERS: 'true',
    AzureWebJobsStorage: azurite?.connectionString ?? inject('storageConnectionString'),
    RECOMPUTE_COALESCE_SECONDS: '0',
  };
  Object.assign(process.env, env);
  resetSettingsCache();
  resetCosmosClientForTests();
  resetQueueServiceForTests();
  await createDatabaseAndContainers(getSettings());
  return { env, close: async () => void (await azurite?.close()) };
}

export const newPartnerId = (prefix = 'p') => `${prefix}-${randomUUID().slice(0, 8)}`;
