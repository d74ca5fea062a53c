import { z } from 'zod';

/**
 * The id rules of the project, in one place. Cosmos DB ids and partition keys cannot hold / \ ? or #, and every
 * id that reaches a document id or a route obeys the rule of the value it names.
 */

const NO_COSMOS_RESERVED = /^[^/\\?#]+$/;

/** A partner id as routes take it: 1 to 128 characters, no / \ ? or #. */
export const partnerIdSchema = z.string().min(1).max(128).regex(NO_COSMOS_RESERVED, 'must not contain / \\ ? or #');

/**
 * A partner id that may be written: the read rule (so every stored partner can be read back), and no leading `_`,
 * since such partitions hold internal documents (e.g. `_directory`).
 */
export const writablePartnerIdSchema = partnerIdSchema.regex(/^[^_]/, 'must not start with _ (reserved for internal documents)');

/** The id of an event in its sender's system. */
export const eventIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(NO_COSMOS_RESERVED, 'must not contain / \\ ? or #');

/** A Standard Webhooks `webhook-id`: embedded in the receipt id, so no spaces and no / \ ? #. */
export const WEBHOOK_ID = /^[^/\\?#\s]{1,200}$/;
export const isWebhookId = (s: string): boolean => WEBHOOK_ID.test(s);

/** A webhook source name: it becomes part of setting names (WEBHOOK_SECRET_<NAME>) and receipt ids. */
export const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const isSourceName = (s: string): boolean => SOURCE_NAME.test(s);
