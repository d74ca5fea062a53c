import { QueueServiceClient } from '@azure/storage-queue';
import { getCredential } from '../config/identity';
import type { Settings } from '../config/settings';

let service: QueueServiceClient | undefined;

/** The process's queue service: a connection string locally, managed identity in Azure. */
export function getQueueService(settings: Pick<Settings, 'AzureWebJobsStorage' | 'AzureWebJobsStorage__queueServiceUri' | 'AzureWebJobsStorage__clientId'>): QueueServiceClient {
  if (!service) {
    if (settings.AzureWebJobsStorage) {
      service = QueueServiceClient.fromConnectionString(settings.AzureWebJobsStorage);
    } else if (settings.AzureWebJobsStorage__queueServiceUri) {
      service = new QueueServiceClient(settings.AzureWebJobsStorage__queueServiceUri, getCredential(settings.AzureWebJobsStorage__clientId));
    } else {
      throw new Error('No storage configured: set AzureWebJobsStorage or AzureWebJobsStorage__queueServiceUri.');
    }
  }
  return service;
}

/** Encodes a message the way the Functions host's queue trigger expects by default (base64 of UTF-8 JSON). */
export function encodeQueueMessage(body: unknown): string {
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8').toString('base64');
}

export function resetQueueServiceForTests(): void {
  service = undefined;
}
