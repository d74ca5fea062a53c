import { z } from 'zod';
import { ALL_QUEUES } from '../queues/names';
import { continuationTokenSchema } from '../lib/ids';

/** Query of GET /api/dead-letters. */
export const deadLetterQuerySchema = z.object({
  queue: z.enum(ALL_QUEUES as [string, ...string[]]).optional().describe('Only dead letters of this queue.'),
  partnerId: z.string().min(1).max(200).optional().describe('Only dead letters about this partner.'),
  status: z.enum(['open', 'replayed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  // Cosmos DB's tokens are printable ASCII and travel in a header, where anything else cannot go (it was a 500).
  continuationToken: continuationTokenSchema.optional().describe('From the previous page.'),
});

export const replayQuerySchema = z.object({
  force: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('Send again even if already replayed.'),
});

export const deadLetterSchema = z.object({
  id: z.string(),
  queue: z.string(),
  body: z.string().describe('The original message text, sent back as is by a replay.'),
  reason: z.string(),
  partnerIds: z.array(z.string()),
  firstSeenAt: z.string(),
  recordedAt: z.string(),
  status: z.enum(['open', 'replayed']),
  replays: z.array(z.object({ at: z.string() })),
});
