import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { startAzurite, startCosmosEmulator } from '../../tools/emulators';

/**
 * One Cosmos emulator and one Azurite per test run, on free ports, so two runs can share a machine.
 * Tests that need isolation create their own database (see isolatedStores in test/helpers/emulators.ts).
 */
export default async function setup(project: TestProject) {
  const [cosmos, azurite] = await Promise.all([startCosmosEmulator(0), startAzurite()]);
  project.provide('cosmosEndpoint', cosmos.endpoint);
  project.provide('storageConnectionString', azurite.connectionString);
  return async () => {
    await Promise.all([cosmos.close(), azurite.close()]);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    cosmosEndpoint: string;
    storageConnectionString: string;
  }
}
