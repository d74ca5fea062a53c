import { CosmosClient, type Container, type Database } from '@azure/cosmos';
import https from 'node:https';
import { getCredential } from '../config/identity';
import type { Settings } from '../config/settings';
import { ALL_CONTAINERS, CONTAINERS, type ContainerKey } from './containers';

type CosmosSettings = Pick<Settings, 'COSMOS_ENDPOINT' | 'COSMOS_KEY' | 'COSMOS_DATABASE'>;

/**
 * The SDK's own retry of throttled requests (429), on every request, reads and writes, honouring the service's
 * retry-after: the only throttling retry of the service (shared/store/errors.ts adds none). A 429 that gets past it
 * means the account lacks throughput for longer than 30 s, which the recompute worker reports and the queue retries.
 */
export const COSMOS_RETRY_OPTIONS = { maxRetryAttemptCount: 9, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 30 } as const;

let client: CosmosClient | undefined;
let clientEndpoint: string | undefined;

function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

/**
 * The one CosmosClient of the process. Keys are only for emulators and local runs; in Azure the app
 * authenticates with its managed identity (local auth is disabled on the account).
 */
export function getCosmosClient(settings: CosmosSettings): CosmosClient {
  if (client && clientEndpoint === settings.COSMOS_ENDPOINT) return client;
  const endpoint = settings.COSMOS_ENDPOINT;
  const loopback = isLoopback(endpoint);
  client = new CosmosClient({
    endpoint,
    ...(settings.COSMOS_KEY ? { key: settings.COSMOS_KEY } : { aadCredentials: getCredential() }),
    // Emulators advertise their own address; discovery would switch a plain-HTTP emulator to TLS.
    connectionPolicy: { enableEndpointDiscovery: !loopback, retryOptions: { ...COSMOS_RETRY_OPTIONS } },
    // Emulators on loopback use self-signed certificates; this agent is scoped to that client only.
    ...(loopback && endpoint.startsWith('https:') ? { agent: new https.Agent({ rejectUnauthorized: false, keepAlive: true }) } : {}),
    userAgentSuffix: 'pcs-tracker',
  });
  clientEndpoint = endpoint;
  return client;
}

export function getDatabase(settings: CosmosSettings): Database {
  return getCosmosClient(settings).database(settings.COSMOS_DATABASE);
}

export function getContainer(settings: CosmosSettings, key: ContainerKey): Container {
  return getDatabase(settings).container(CONTAINERS[key].name);
}

/** Creates the database and every container. Only for emulators: in Azure, Bicep creates them and the app's identity cannot. */
export async function createDatabaseAndContainers(settings: CosmosSettings): Promise<void> {
  const { database } = await getCosmosClient(settings).databases.createIfNotExists({ id: settings.COSMOS_DATABASE });
  for (const spec of ALL_CONTAINERS) {
    await database.containers.createIfNotExists({
      id: spec.name,
      partitionKey: { paths: [spec.partitionKey] },
      ...(spec.defaultTtl !== undefined ? { defaultTtl: spec.defaultTtl } : {}),
    });
  }
}

export function resetCosmosClientForTests(): void {
  client?.dispose();
  client = undefined;
  clientEndpoint = undefined;
}
