import { createHash } from 'node:crypto';
import type { EventOutcome } from '../events/apply';
import type { WebhookEvent } from '../events/schemas';
import { createOnce, deleteDocument, patchDocument, readDocument } from '../store/documents';
import { isNotFound } from '../store/errors';

/**
 * One receipt per accepted delivery (container `receipts`, id = `<source>:<webhook-id>`, kept 7 days).
 * Creating it is the deduplication: a second create of the same id is a redelivery. Scoping ids by
 * source keeps one source from suppressing another's deliveries by reusing their webhook ids.
 */
export interface ReceiptDoc {
  id: string;
  type: 'receipt';
  source: string;
  webhookId: string;
  bodySha256: string;
  receivedAt: string;
  status: 'accepted' | 'applied';
  eventCount: number;
  partnerIds: string[];
  /** Values accepted but unusual (activeUsers above paidSeats, a month too old to count today...), with the field. */
  warnings?: { path: string; message: string }[];
  /** Only for deliveries too large for a queue message: the message then refers to this receipt. */
  events?: WebhookEvent[];
  appliedAt?: string;
  summary?: Record<EventOutcome['result'], number>;
  /** Events not applied as sent (refused, older), with the reason; applied ones are only counted. */
  notApplied?: EventOutcome[];
  /** Each changed partner's state version once the delivery was applied: a score of that version includes it. */
  stateVersions?: Record<string, number>;
}

export const receiptId = (source: string, webhookId: string) => `${source.toLowerCase()}:${webhookId}`;
export const bodyHash = (raw: string) => createHash('sha256').update(raw).digest('hex');

/** Creates the receipt; 'duplicate' (with the stored one) when the id was already received. */
export async function createReceipt(doc: ReceiptDoc): Promise<{ created: true } | { created: false; existing: ReceiptDoc | undefined }> {
  if ((await createOnce('receipts', doc)) !== 'exists') return { created: true };
  return { created: false, existing: await readReceipt(doc.id) };
}

export async function readReceipt(id: string): Promise<ReceiptDoc | undefined> {
  return readDocument<ReceiptDoc>('receipts', id, id);
}

/** Removes a receipt whose delivery could not be enqueued, so the sender's retry is accepted again. */
export async function deleteReceipt(id: string): Promise<void> {
  await deleteDocument('receipts', id, id);
}

/** Records what applying the delivery did, for the sender and for operators. */
export async function markReceiptApplied(id: string, outcomes: readonly EventOutcome[], stateVersions: Record<string, number> = {}, now = new Date()): Promise<void> {
  const summary: Record<EventOutcome['result'], number> = { applied: 0, unchanged: 0, older: 0, refused: 0 };
  for (const o of outcomes) summary[o.result]++;
  const notApplied = outcomes.filter((o) => o.result === 'refused' || o.result === 'older').slice(0, 500);
  try {
    await patchDocument('receipts', id, id, [
      { op: 'set', path: '/status', value: 'applied' },
      { op: 'set', path: '/appliedAt', value: now.toISOString() },
      { op: 'set', path: '/summary', value: summary },
      { op: 'set', path: '/notApplied', value: notApplied },
      { op: 'set', path: '/stateVersions', value: stateVersions },
    ]);
  } catch (e) {
    // The receipt expired or was never written (a replayed dead letter): the state is applied all the same.
    if (!isNotFound(e)) throw e;
  }
}
