import { z } from 'zod';
import { anyEventSchema } from './schemas';

/**
 * A message on the `webhook-events` queue: one accepted delivery. Small deliveries travel inline; a
 * delivery too large for a storage-queue message (64 KB, base64-encoded by the host) stays in its receipt
 * and the message only refers to it.
 */
export const eventsMessageSchema = z.object({
  kind: z.literal('webhook-delivery'),
  v: z.literal(1),
  source: z.string().min(1),
  webhookId: z.string().min(1),
  receiptId: z.string().min(1),
  receivedAt: z.string(),
  partnerIds: z.array(z.string()),
  events: z.array(anyEventSchema).optional(),
});
export type EventsMessage = z.infer<typeof eventsMessageSchema>;

/** JSON text budget of an inline message: 64 KiB after base64 (x4/3), with room for the host's envelope. */
export const INLINE_MESSAGE_LIMIT = 45_000;

/** Several deliveries accepted together (see shared/webhooks/enqueue.ts): applied in one pass. */
export const deliveriesMessageSchema = z.object({
  kind: z.literal('webhook-deliveries'),
  v: z.literal(1),
  /** Every partner of every delivery, so a dead letter can be found by partner. */
  partnerIds: z.array(z.string()),
  deliveries: z.array(eventsMessageSchema).min(1),
});
export type DeliveriesMessage = z.infer<typeof deliveriesMessageSchema>;

export const queueMessageSchema = z.discriminatedUnion('kind', [eventsMessageSchema, deliveriesMessageSchema]);
