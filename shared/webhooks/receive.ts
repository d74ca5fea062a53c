import { isWebhookId } from '../lib/ids';
import { getSettings } from '../config/settings';
import { INLINE_MESSAGE_LIMIT, type EventsMessage } from '../events/message';
import { validateDelivery, type FieldProblem } from '../events/validate';
import { enqueueDelivery } from './enqueue';
import { bodyHash, createReceipt, deleteReceipt, receiptId, type ReceiptDoc } from '../deliveries/receipts';
import { verify } from '../lib/signing';
import { parseJsonText } from '../lib/json-text';
import { mayWrite, resolveSource, SourceConfigError } from './sources';

export interface DeliveryInput {
  source: string;
  webhookId: string | null;
  timestamp: string | null;
  signature: string | null;
  /** The exact raw body, as signed. */
  raw: string;
  now?: Date;
}

export type DeliveryResult =
  | { kind: 'accepted'; webhookId: string; events: number; partnerIds: string[]; warnings: FieldProblem[] }
  | { kind: 'duplicate'; webhookId: string; receivedAt: string; status: ReceiptDoc['status'] }
  | { kind: 'conflict'; webhookId: string; message: string }
  | { kind: 'unauthorized'; message: string; logReason: string }
  | { kind: 'bad-request'; message: string; details?: FieldProblem[] }
  /** Well-formed but not processable: an unknown event type or certification (422). */
  | { kind: 'unprocessable'; message: string; details: FieldProblem[] }
  | { kind: 'forbidden'; message: string; partnerIds: string[] }
  | { kind: 'unavailable'; message: string; logReason: string };

/** Cosmos ids are at most 255 characters; the receipt id is `<source>:<webhook-id>`. */
const MAX_ID = 255;
/** A duplicate of a delivery still `accepted` this long after it was received is queued again (see below). */
export const REQUEUE_AFTER_MS = 2 * 60_000;

/**
 * Accepts one webhook delivery: verify the signature over the raw body, validate every event, check the
 * source may write each partner, record the receipt (dedupe), enqueue. Nothing is stored unless every
 * check passes; if the enqueue fails the receipt is removed so the sender's retry is accepted.
 */
export async function receiveDelivery(input: DeliveryInput): Promise<DeliveryResult> {
  const settings = getSettings();
  const now = input.now ?? new Date();
  // Unknown sources and bad signatures get the same answer, so the endpoint does not reveal which sources exist.
  const unauthorized = (logReason: string): DeliveryResult => ({ kind: 'unauthorized', message: 'Unknown source or invalid signature: sign id.timestamp.body with the source\'s current secret (see docs/webhooks.md).', logReason });
  let source;
  try {
    source = resolveSource(input.source);
  } catch (e) {
    if (e instanceof SourceConfigError) return unauthorized(e.message);
    throw e;
  }
  if (!source) return unauthorized(`source "${input.source.slice(0, 64)}" is not in WEBHOOK_SOURCES`);
  const check = verify({
    keys: source.keys,
    id: input.webhookId,
    timestamp: input.timestamp,
    signature: input.signature,
    body: input.raw,
    toleranceSeconds: settings.WEBHOOK_TOLERANCE_SECONDS,
    nowSeconds: Math.floor(now.getTime() / 1000),
  });
  if (!check.ok) {
    // Timestamp problems are safe to explain (the sender's clock or a replay); a bad signature gets the generic answer.
    if (check.reason === 'no-matching-signature') return unauthorized(`source ${source.name}: ${check.message}`);
    return { kind: 'unauthorized', message: check.message, logReason: `source ${source.name}: ${check.reason}` };
  }
  const webhookId = input.webhookId!;
  const maxIdLength = Math.min(200, MAX_ID - source.name.length - 1);
  if (!isWebhookId(webhookId) || receiptId(source.name, webhookId).length > MAX_ID) {
    return { kind: 'bad-request', message: `The webhook-id header must be 1 to ${maxIdLength} characters without spaces, /, \\, ? or #.`, details: [{ path: 'header:webhook-id', message: `invalid characters or length (at most ${maxIdLength} for source ${source.name})` }] };
  }

  // A lone surrogate would be stored and queued as a string no UTF-8 reader gets back faithfully.
  const body = parseJsonText(input.raw);
  if (!body.ok) return { kind: 'bad-request', message: body.message, details: [{ path: body.path, message: body.reason }] };
  const validation = validateDelivery(body.value, { now, futureToleranceSeconds: settings.EVENT_FUTURE_TOLERANCE_SECONDS, maxSeatCount: settings.MAX_SEAT_COUNT });
  if (!validation.ok) {
    const list = validation.details.slice(0, 20).map((d) => `${d.path}: ${d.message}`).join('; ');
    const more = validation.details.length > 20 ? ` (and ${validation.details.length - 20} more in details)` : '';
    if (validation.kind === 'unknown-type') return { kind: 'unprocessable', message: `The delivery holds an event type this service does not know: ${list}${more}`, details: validation.details };
    if (validation.kind === 'unresolved') return { kind: 'unprocessable', message: `The delivery names a certification this service does not know; nothing was stored: ${list}${more}`, details: validation.details };
    return { kind: 'bad-request', message: `The delivery is invalid: ${list}${more}`, details: validation.details };
  }
  const events = validation.events;
  // Kept at most 100: enough to act on, and a receipt stays far below Cosmos DB's document limit.
  const warnings = validation.warnings.slice(0, 100);
  const partnerIds = [...new Set(events.map((e) => e.partnerId))].sort();
  const denied = partnerIds.filter((p) => !mayWrite(source, p));
  if (denied.length) {
    return { kind: 'forbidden', message: `Source "${source.name}" may not write partner${denied.length > 1 ? 's' : ''} ${denied.join(', ')}; ask an operator to add ${denied.length > 1 ? 'them' : 'it'} to WEBHOOK_PARTNERS_${source.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}.`, partnerIds: denied };
  }

  const id = receiptId(source.name, webhookId);
  const receivedAt = now.toISOString();
  const message: EventsMessage = { kind: 'webhook-delivery', v: 1, source: source.name, webhookId, receiptId: id, receivedAt, partnerIds, events };
  // Bytes, not characters: the queue message is the base64 of the UTF-8 text.
  const inline = Buffer.byteLength(JSON.stringify(message)) <= INLINE_MESSAGE_LIMIT;
  const receipt: ReceiptDoc = {
    id,
    type: 'receipt',
    source: source.name,
    webhookId,
    bodySha256: bodyHash(input.raw),
    receivedAt,
    status: 'accepted',
    eventCount: events.length,
    partnerIds,
    ...(warnings.length ? { warnings } : {}),
    ...(inline ? {} : { events }),
  };
  let created: Awaited<ReturnType<typeof createReceipt>>;
  try {
    created = await createReceipt(receipt);
  } catch (e) {
    // The store is unavailable: nothing was recorded, and a retry of the same delivery will be accepted.
    return { kind: 'unavailable', message: 'The delivery could not be recorded; nothing was stored. Retry later with the same webhook-id.', logReason: `receipt ${id} could not be created: ${(e as Error).message}` };
  }
  if (!created.created) {
    const existing = created.existing;
    if (existing && existing.bodySha256 !== receipt.bodySha256) {
      return { kind: 'conflict', webhookId, message: `webhook-id ${webhookId} was already received on ${existing.receivedAt} with a different body; use a new webhook-id for a new delivery.` };
    }
    // The receipt may have been created by an attempt that died (or whose enqueue and cleanup both failed)
    // before queueing: it would then stay `accepted` with no message. A retry of the same body long after the
    // receipt was written queues it again; applying is idempotent by event id, so a second copy changes nothing.
    if (existing && existing.status === 'accepted' && now.getTime() - Date.parse(existing.receivedAt) > REQUEUE_AFTER_MS) {
      const again: EventsMessage = { ...message, receivedAt: existing.receivedAt };
      try {
        await enqueueDelivery(existing.events ? toReference(again) : again);
      } catch (e) {
        return { kind: 'unavailable', message: 'The delivery could not be queued. Retry later with the same webhook-id.', logReason: `re-enqueue of ${id} failed: ${(e as Error).message}` };
      }
    }
    return { kind: 'duplicate', webhookId, receivedAt: existing?.receivedAt ?? receivedAt, status: existing?.status ?? 'accepted' };
  }
  try {
    await enqueueDelivery(inline ? message : toReference(message));
  } catch (e) {
    await deleteReceipt(id).catch(() => undefined);
    return { kind: 'unavailable', message: 'The delivery could not be queued; nothing was stored. Retry later.', logReason: `enqueue failed for ${id}: ${(e as Error).message}` };
  }
  return { kind: 'accepted', webhookId, events: events.length, partnerIds, warnings };
}

/** Budget for the partner ids of a reference-only message (the worker reads the events, and partners, from the receipt). */
const REFERENCE_PARTNER_IDS_BYTES = 8_000;

/**
 * The message for a delivery kept in its receipt: no events, and only as many partner ids (which only help
 * to find a dead letter by partner) as fit the budget, so it always fits a queue message.
 */
export function toReference(message: EventsMessage): EventsMessage {
  const partnerIds: string[] = [];
  let bytes = 0;
  for (const p of message.partnerIds) {
    bytes += Buffer.byteLength(JSON.stringify(p)) + 1;
    if (bytes > REFERENCE_PARTNER_IDS_BYTES) break;
    partnerIds.push(p);
  }
  return { ...message, partnerIds, events: undefined };
}
