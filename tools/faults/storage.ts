import { AZURITE_ACCOUNT, AZURITE_KEY, type AzuriteEmulator } from '../emulators';
import { startFaultProxy, type FaultCounts, type FaultProxyOptions, type FaultRates } from './proxy';

/**
 * Fault proxies in front of Azurite's blob and queue services, and the connection string that sends the app
 * through them. The table service is not used by the app, so it is not proxied.
 */
export interface StorageFaultProxies {
  connectionString: string;
  counts(): FaultCounts;
  injected(): number;
  setRates(rates: FaultRates): void;
  /** Points both proxies at a restarted Azurite. */
  retarget(azurite: Pick<AzuriteEmulator, 'blobEndpoint' | 'queueEndpoint'>): void;
  close(): Promise<void>;
}

const origin = (endpoint: string) => new URL(endpoint).origin;

export async function startStorageFaultProxies(azurite: Pick<AzuriteEmulator, 'blobEndpoint' | 'queueEndpoint'>, opts: Omit<FaultProxyOptions, 'target' | 'port'> = {}): Promise<StorageFaultProxies> {
  const blob = await startFaultProxy({ ...opts, target: origin(azurite.blobEndpoint), seed: (opts.seed ?? 1) + 1 });
  const queue = await startFaultProxy({ ...opts, target: origin(azurite.queueEndpoint), seed: (opts.seed ?? 1) + 2 });
  const both = [blob, queue];
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
      `BlobEndpoint=${blob.url}/${AZURITE_ACCOUNT};QueueEndpoint=${queue.url}/${AZURITE_ACCOUNT};`,
    counts: () => {
      const [a, b] = [blob.counts(), queue.counts()];
      return Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof FaultCounts] + b[k as keyof FaultCounts]])) as unknown as FaultCounts;
    },
    injected: () => blob.injected() + queue.injected(),
    setRates: (rates) => both.forEach((p) => p.setRates(rates)),
    retarget: (a) => {
      blob.setTarget(origin(a.blobEndpoint));
      queue.setTarget(origin(a.queueEndpoint));
    },
    close: async () => void (await Promise.all(both.map((p) => p.close()))),
  };
}
