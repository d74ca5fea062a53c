import { isWebhookId } from '../lib/ids';
import { readReceipt, receiptId, type ReceiptDoc } from '../deliveries/receipts';

/** What a sender may see of its delivery: not the stored events or body hash, nor Cosmos DB's system properties. */
export type DeliveryStatus = Omit<ReceiptDoc, 'events' | 'bodySha256'>;

/** The status of a delivery from its receipt, or undefined when there is none (unknown, malformed id, or expired after 7 days). */
export async function deliveryStatus(source: string, webhookId: string): Promise<DeliveryStatus | undefined> {
  const receipt = isWebhookId(webhookId) ? await readReceipt(receiptId(source, webhookId)) : undefined;
  if (!receipt) return undefined;
  const { events: _events, bodySha256: _hash, ...rest } = receipt;
  const { _rid, _self, _etag, _attachments, _ts, ...visible } = rest as typeof rest & Record<string, unknown>;
  return visible as DeliveryStatus;
}
