import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getSettings, resetSettingsCache } from '../../shared/config/settings';
import { createDatabaseAndContainers } from '../../shared/store/cosmos';
import { receiveDelivery } from '../../shared/webhooks/receive';
import { readReceipt } from '../../shared/webhooks/receipts';
import { resetEnqueueForTests, setSenderForTests } from '../../shared/webhooks/enqueue';
import { generateSecret, signedHeaders } from '../../shared/webhooks/signature';
import { uid } from './client';

/** Accepting a delivery against the real Cosmos emulator, with the queue write failing on purpose. */
describe('receiveDelivery when the queue is unavailable', () => {
  const secret = generateSecret();
  beforeAll(async () => {
    Object.assign(process.env, {
      COSMOS_ENDPOINT: inject('cosmosEndpoint'),
      COSMOS_KEY: 'test',
      AzureWebJobsStorage: inject('storageConnectionString'),
      WEBHOOK_SOURCES: 'crm',
      WEBHOOK_SECRET_CRM: secret,
      WEBHOOK_PARTNERS_CRM: '*',
    });
    resetSettingsCache();
    await createDatabaseAndContainers(getSettings());
  });
  afterAll(() => {
    setSenderForTests(undefined);
    resetEnqueueForTests();
  });

  it('answers 503, removes the receipt, and accepts the retry of the same webhook-id', async () => {
    const webhookId = uid('msg');
    const raw = JSON.stringify({ id: 'e1', type: 'pal.linked', partnerId: uid('p'), occurredAt: '2026-01-01T00:00:00Z', data: { tenantId: 't', objectId: 'o' } });
    const attempt = () => {
      const h = signedHeaders(secret, webhookId, raw);
      return receiveDelivery({ source: 'crm', webhookId, timestamp: h['webhook-timestamp']!, signature: h['webhook-signature']!, raw });
    };
    setSenderForTests(async () => {
      throw new Error('queue down');
    });
    const failed = await attempt();
    expect(failed).toMatchObject({ kind: 'unavailable' });
    expect(await readReceipt(`crm:${webhookId}`)).toBeUndefined();

    const sent: unknown[] = [];
    setSenderForTests(async (_q, bodies) => {
      sent.push(...bodies);
    });
    expect(await attempt()).toMatchObject({ kind: 'accepted', events: 1 });
    expect(sent).toEqual([expect.objectContaining({ webhookId, receiptId: `crm:${webhookId}` })]);
    expect(await readReceipt(`crm:${webhookId}`)).toMatchObject({ status: 'accepted', eventCount: 1 });
    expect(await attempt()).toMatchObject({ kind: 'duplicate' });
  });
});
