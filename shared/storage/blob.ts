import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { getCredential } from '../config/identity';
import type { Settings } from '../config/settings';

type BlobSettings = Pick<Settings, 'AzureWebJobsStorage' | 'AzureWebJobsStorage__blobServiceUri' | 'AzureWebJobsStorage__clientId'>;

let service: BlobServiceClient | undefined;

/** The process's blob service: a connection string locally, managed identity in Azure (like the queues). */
export function getBlobService(settings: BlobSettings): BlobServiceClient {
  if (!service) {
    if (settings.AzureWebJobsStorage) {
      service = BlobServiceClient.fromConnectionString(settings.AzureWebJobsStorage);
    } else if (settings.AzureWebJobsStorage__blobServiceUri) {
      service = new BlobServiceClient(settings.AzureWebJobsStorage__blobServiceUri, getCredential(settings.AzureWebJobsStorage__clientId));
    } else {
      throw new Error('No blob storage configured: set AzureWebJobsStorage or AzureWebJobsStorage__blobServiceUri.');
    }
  }
  return service;
}

const ensured = new Map<string, Promise<ContainerClient>>();

/**
 * A blob container client. With a connection string (emulators, local runs) the container is created when
 * missing; in Azure infra/ creates it and the app's identity has data access only.
 */
export function blobContainer(settings: BlobSettings, name: string): Promise<ContainerClient> {
  let p = ensured.get(name);
  if (!p) {
    p = (async () => {
      const client = getBlobService(settings).getContainerClient(name);
      if (settings.AzureWebJobsStorage) await client.createIfNotExists();
      return client;
    })();
    p.catch(() => ensured.delete(name));
    ensured.set(name, p);
  }
  return p;
}

/** A blob's text, or undefined when it does not exist. */
export async function readBlobText(container: ContainerClient, path: string): Promise<string | undefined> {
  try {
    const buf = await container.getBlobClient(path).downloadToBuffer();
    return buf.toString('utf8');
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

export async function writeBlobText(container: ContainerClient, path: string, text: string, contentType: string): Promise<void> {
  const body = Buffer.from(text, 'utf8');
  await container.getBlockBlobClient(path).upload(body, body.length, { blobHTTPHeaders: { blobContentType: contentType } });
}

export function resetBlobServiceForTests(): void {
  service = undefined;
  ensured.clear();
}
