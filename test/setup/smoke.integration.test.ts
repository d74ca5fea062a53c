import { CosmosClient } from '@azure/cosmos';
import { QueueServiceClient } from '@azure/storage-queue';
import { describe, expect, inject, it } from 'vitest';

describe('test emulators', () => {
  it('Cosmos emulator answers', async () => {
    const client = new CosmosClient({ endpoint: inject('cosmosEndpoint'), key: 'test', connectionPolicy: { enableEndpointDiscovery: false } });
    const { database } = await client.databases.createIfNotExists({ id: 'smoke' });
    const { resource } = await database.read();
    expect(resource?.id).toBe('smoke');
  });
  it('Azurite queue answers', async () => {
    const q = QueueServiceClient.fromConnectionString(inject('storageConnectionString')).getQueueClient('smoke');
    await q.createIfNotExists();
    await q.sendMessage('hello');
    const got = await q.receiveMessages();
    expect(got.receivedMessageItems[0]?.messageText).toBe('hello');
  });
});
