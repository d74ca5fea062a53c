import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSettings, resetSettingsCache } from '../../shared/config/settings';
import { createDatabaseAndContainers } from '../../shared/store/cosmos';
import { receiveDelivery } from '../../shared/webhooks/receive';
import { bodyHash, createReceipt, readReceipt } from '../../shared/deliveries/receipts';
import { resetEnqueueForTests, setSenderForTests } from '../../shared/webhooks/enqueue';
import { generateSecret, signedHeaders } from '../../shared/lib/signing';
import { emulatorEnv } from '../helpers/emulators';
import { uid } from '../helpers/ids';

/** Accepting a delivery against the real Cosmos emulator, with the queue write failing on purpose. */
const LONG = 's'.repeat(64);

describe('receiveDelivery when the queue is unavailable', () => {
  const secret = generateSecret();
  const send = (webhookId: string, raw: string, source = 'crm') => {
    const h = signedHeaders(secret, webhookId, raw);
    return receiveDelivery({ source, webhookId, timestamp: h['webhook-timestamp']!, signature: h['webhook-signature']!, raw });
  };
  beforeAll(async () => {
    Object.assign(process.env, {
      ...emulatorEnv(),
      WEBHOOK_SOURCES: `crm,${LONG}`,
      WEBHOOK_SECRET_CRM: secret,
      WEBHOOK_PARTNERS_CRM: '*',
      [`WEBHOOK_SECRET_${LONG.toUpperCase()}`]: secret,
      [`WEBHOOK_PARTNERS_${LONG.toUpperCase()}`]: '*',
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

  it('queues again a duplicate whose receipt stayed accepted with no message (the instance died before enqueueing)', async () => {
    const webhookId = uid('msg');
    const partnerId = uid('p');
    const raw = JSON.stringify({ id: 'e1', type: 'pal.linked', partnerId, occurredAt: '2026-01-01T00:00:00Z', data: { tenantId: 't', objectId: 'o' } });
    const stale = new Date(Date.now() - 10 * 60_000).toISOString();
    await createReceipt({ id: `crm:${webhookId}`, type: 'receipt', source: 'crm', webhookId, bodySha256: bodyHash(raw), receivedAt: stale, status: 'accepted', eventCount: 1, partnerIds: [partnerId] });
    const sent: unknown[] = [];
    setSenderForTests(async (_q, bodies) => {
      sent.push(...bodies);
    });
    expect(await send(webhookId, raw)).toMatchObject({ kind: 'duplicate', receivedAt: stale, status: 'accepted' });
    expect(sent).toEqual([expect.objectContaining({ kind: 'webhook-delivery', webhookId, receiptId: `crm:${webhookId}`, receivedAt: stale, events: [expect.objectContaining({ id: 'e1', partnerId })] })]);

    // A queue failure on that re-send answers 503, so the sender retries.
    setSenderForTests(async () => {
      throw new Error('queue down');
    });
    expect(await send(webhookId, raw)).toMatchObject({ kind: 'unavailable' });
  });

  it('does not queue again a duplicate that is recent (its message may be waiting) or already applied', async () => {
    const raw = (p: string) => JSON.stringify({ id: 'e1', type: 'pal.linked', partnerId: p, occurredAt: '2026-01-01T00:00:00Z', data: { tenantId: 't', objectId: 'o' } });
    const sent: unknown[] = [];
    setSenderForTests(async (_q, bodies) => {
      sent.push(...bodies);
    });
    const fresh = uid('msg');
    const p = uid('p');
    expect(await send(fresh, raw(p))).toMatchObject({ kind: 'accepted' });
    expect(await send(fresh, raw(p))).toMatchObject({ kind: 'duplicate' });
    expect(sent).toHaveLength(1);

    const applied = uid('msg');
    await createReceipt({ id: `crm:${applied}`, type: 'receipt', source: 'crm', webhookId: applied, bodySha256: bodyHash(raw(p)), receivedAt: new Date(Date.now() - 10 * 60_000).toISOString(), status: 'applied', eventCount: 1, partnerIds: [p] });
    expect(await send(applied, raw(p))).toMatchObject({ kind: 'duplicate', status: 'applied' });
    expect(sent).toHaveLength(1);
  });

  it('refuses (400, naming the header) a webhook-id that would make the receipt id longer than Cosmos allows', async () => {
    const raw = JSON.stringify({ id: 'e1', type: 'pal.linked', partnerId: uid('p'), occurredAt: '2026-01-01T00:00:00Z', data: { tenantId: 't', objectId: 'o' } });
    setSenderForTests(async () => undefined);
    const tooLong = await send('w'.repeat(200), raw, LONG);
    expect(tooLong).toMatchObject({ kind: 'bad-request', message: expect.stringContaining('webhook-id'), details: [expect.objectContaining({ path: 'header:webhook-id' })] });
    expect((tooLong as { message: string }).message).toContain('1 to 190 characters');
    expect(await send(uid('w').padEnd(190, 'w'), raw, LONG)).toMatchObject({ kind: 'accepted' });
  });
});
