import { getSettings } from '../../shared/config/settings';
import { getQueueService } from '../../shared/queues/client';
import { getBlobService } from '../../shared/storage/blob';
import { CONTAINERS, type ContainerKey } from '../../shared/store/containers';
import { getContainer } from '../../shared/store/cosmos';

/**
 * Everything the app has stored, as one comparable value: every document of every Cosmos DB container (system
 * properties included, so a rewrite with the same content still shows as a new `_etag`), the length of every queue
 * (poison queues too) and every blob with its etag. For a test process pointed at stores of its own
 * (isolatedStores with ownAzurite), so nothing another test writes shows up.
 */
export interface StoreDump {
  documents: Record<string, Record<string, unknown>>;
  queues: Record<string, number>;
  blobs: Record<string, string>;
}

export async function dumpStores(): Promise<StoreDump> {
  const settings = getSettings();
  const documents: StoreDump['documents'] = {};
  for (const key of Object.keys(CONTAINERS) as ContainerKey[]) {
    const { resources } = await getContainer(settings, key).items.readAll().fetchAll();
    // Ids repeat across partitions (every partner has a `profile`), so the key holds the partition key too.
    const field = CONTAINERS[key].partitionKey.slice(1);
    for (const doc of resources) documents[`${CONTAINERS[key].name}/${String((doc as Record<string, unknown>)[field])}/${doc.id}`] = doc as unknown as Record<string, unknown>;
  }
  const queues: StoreDump['queues'] = {};
  const queueService = getQueueService(settings);
  for await (const q of queueService.listQueues()) {
    queues[q.name] = (await queueService.getQueueClient(q.name).getProperties()).approximateMessagesCount ?? 0;
  }
  const blobs: StoreDump['blobs'] = {};
  const blobService = getBlobService(settings);
  for await (const c of blobService.listContainers()) {
    for await (const b of blobService.getContainerClient(c.name).listBlobsFlat()) blobs[`${c.name}/${b.name}`] = String(b.properties.etag);
  }
  return { documents, queues, blobs };
}


/** The keys whose value differs between two dumps (added, removed or changed), as `documents/<container>/<partition>/<id>` etc. */
export function dumpDifferences(before: StoreDump, after: StoreDump): string[] {
  const out: string[] = [];
  for (const part of ['documents', 'queues', 'blobs'] as const) {
    const a = before[part] as Record<string, unknown>;
    const b = after[part] as Record<string, unknown>;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in a)) out.push(`${part}/${k}: added`);
      else if (!(k in b)) out.push(`${part}/${k}: removed`);
      else if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push(`${part}/${k}: changed`);
    }
  }
  return out.sort();
}
