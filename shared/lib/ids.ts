import { z } from 'zod';

/**
 * The id rules of the project, in one place. Every id that reaches a Cosmos DB document id or partition key obeys
 * the one safe-id rule below (the store checks it again before any call), and each kind of id adds its own.
 */

// Cosmos DB refuses / \ and #, and a `?` turns a point read into a listing of the container: none of them may reach
// an id or a partition key. Control characters are refused too: they cannot be typed, and they forge log lines.
// Written as a whole-string pattern, so the JSON Schemas generated from the zod schemas carry it.
const SAFE_ID = /^[^/\\?#\u0000-\u001f\u007f-\u009f]+$/;

/** Whether a value may be a Cosmos DB document id or partition key (the store refuses any other). */
export const isSafeDocumentId = (s: string): boolean => SAFE_ID.test(s);

const SAFE_ID_MESSAGE = 'must not contain / \\ ? # or control characters';
const safeId = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`).regex(SAFE_ID, SAFE_ID_MESSAGE);

/** A partner id as routes take it: 1 to 128 characters, no / \ ? # or control characters. */
export const partnerIdSchema = safeId(128);

/**
 * A partner id that may be written: the read rule (so every stored partner can be read back), and no leading `_`,
 * since such partitions hold internal documents (e.g. `_directory`).
 */
export const writablePartnerIdSchema = partnerIdSchema.regex(/^[^_]/, 'must not start with _ (reserved for internal documents)');

/** A professional's key (their Microsoft Learn profile id) as a route names it. */
export const professionalIdSchema = safeId(200);

/** The id of an event in its sender's system. */
export const eventIdSchema = safeId(200);

/** A Standard Webhooks `webhook-id`: embedded in the receipt id, so no spaces and no / \ ? #. */
export const WEBHOOK_ID = /^[^/\\?#\s]{1,200}$/;
export const isWebhookId = (s: string): boolean => WEBHOOK_ID.test(s) && isSafeDocumentId(s);
export const webhookIdSchema = z.string().refine(isWebhookId, 'must be 1 to 200 characters without spaces, / \\ ? # or control characters');

/** A webhook source name: it becomes part of setting names (WEBHOOK_SECRET_<NAME>) and receipt ids. */
export const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const isSourceName = (s: string): boolean => SOURCE_NAME.test(s);
export const sourceNameSchema = z.string().regex(SOURCE_NAME, 'must be a source name: a letter or digit, then up to 63 letters, digits, _ or -');

/** A Cosmos DB continuation token as a client hands it back: it travels in a request header, so printable ASCII only. */
export const continuationTokenSchema = z.string().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters').regex(/^[\x20-\x7e]+$/, 'must be the token of a previous page (printable ASCII)');
