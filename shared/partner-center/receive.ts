import type { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { getSettings, type Settings } from '../config/settings';
import { bodyHash, createReceipt, deleteReceipt, receiptId, type ReceiptDoc } from '../deliveries/receipts';
import { writablePartnerIdSchema } from '../lib/ids';
import { parseJsonText } from '../lib/json-text';
import { zodDetails } from '../lib/validation';
import { QUEUES } from '../queues/names';
import { sendMessages } from '../queues/send';
import { handlingOf, partnerCenterEventSchema, type PartnerCenterEvent } from './payload';
import { cachingCertFetcher, loadAnchors, verifyPartnerCenterRequest, type CertFetcher, type VerifyHeaders } from './verify';

/** The receipt source of Partner Center events; receipt ids are `partner-center:<partnerId>.<sha256 of the body>`. */
export const PARTNER_CENTER_SOURCE = 'partner-center';

/** A verified event waiting on queue `partner-center-events` for its resource to be read and applied. */
export const partnerCenterMessageSchema = z.object({
  kind: z.literal('partner-center-event'),
  v: z.literal(1),
  partnerId: z.string().min(1),
  /** The partner ids, as every queue message of the app carries them, so a dead letter can be found by partner. */
  partnerIds: z.array(z.string()),
  receiptId: z.string().min(1),
  receivedAt: z.string(),
  event: partnerCenterEventSchema,
});
export type PartnerCenterMessage = z.infer<typeof partnerCenterMessageSchema>;

export type ReceiveResult =
  | { kind: 'queued'; eventName: string; receiptId: string }
  | { kind: 'recorded'; eventName: string; receiptId: string; handling: 'test' | 'information' }
  | { kind: 'duplicate'; eventName: string; receiptId: string; receivedAt: string }
  | { kind: 'unauthorized'; logReason: string }
  | { kind: 'bad-request'; message: string; details: { path: string; message: string }[] }
  | { kind: 'unavailable'; logReason: string };

export interface ReceiveInput {
  partnerId: string;
  headers: VerifyHeaders;
  raw: string;
  now?: Date;
}

let anchors: { file: string | undefined; certs: X509Certificate[] } | undefined;
let fetcher: CertFetcher | undefined;

function trustAnchors(settings: Settings): X509Certificate[] {
  if (!anchors || anchors.file !== settings.PARTNER_CENTER_CA_FILE) anchors = { file: settings.PARTNER_CENTER_CA_FILE, certs: loadAnchors(settings.PARTNER_CENTER_CA_FILE) };
  return anchors.certs;
}

export const listSetting = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

/**
 * Accepts one Partner Center event: authenticate (anything wrong is a 401 and nothing is stored), check the
 * partner takes Partner Center events, validate, record the receipt (a redelivery is a duplicate of it), and queue
 * the events that change state. The resource is never read here: Partner Center waits on this answer.
 */
export async function receivePartnerCenterEvent(input: ReceiveInput): Promise<ReceiveResult> {
  const settings = getSettings();
  const now = input.now ?? new Date();
  fetcher ??= cachingCertFetcher({ timeoutMs: settings.PARTNER_CENTER_TIMEOUT_MS });
  const verified = await verifyPartnerCenterRequest(input.headers, input.raw, { certUrlPrefixes: listSetting(settings.PARTNER_CENTER_CERT_URL_PREFIXES), organization: settings.PARTNER_CENTER_CERT_ORGANIZATION, anchors: trustAnchors(settings), now }, fetcher);
  if (!verified.ok) return { kind: 'unauthorized', logReason: verified.reason };
  const partner = writablePartnerIdSchema.safeParse(input.partnerId);
  if (!partner.success || !listSetting(settings.PARTNER_CENTER_PARTNER_IDS).includes(input.partnerId)) return { kind: 'unauthorized', logReason: `partner ${JSON.stringify(input.partnerId.slice(0, 128))} is not in PARTNER_CENTER_PARTNER_IDS` };

  const json = parseJsonText(input.raw);
  if (!json.ok) return { kind: 'bad-request', message: json.message, details: [{ path: json.path, message: json.reason }] };
  const parsed = partnerCenterEventSchema.safeParse(json.value);
  if (!parsed.success) {
    const details = zodDetails(parsed.error);
    return { kind: 'bad-request', message: `The event is invalid: ${details.slice(0, 10).map((d) => `${d.path}: ${d.message}`).join('; ')}`, details };
  }
  const event: PartnerCenterEvent = parsed.data;
  const handling = handlingOf(event.EventName).kind;
  const id = receiptId(PARTNER_CENTER_SOURCE, `${input.partnerId}.${bodyHash(input.raw)}`);
  const receivedAt = now.toISOString();
  const queued = handling === 'csp-relationship' || handling === 'customer';
  const receipt: ReceiptDoc & { partnerCenter: { eventName: string; resourceUri: string; handling: string } } = {
    id,
    type: 'receipt',
    source: PARTNER_CENTER_SOURCE,
    webhookId: id.slice(PARTNER_CENTER_SOURCE.length + 1),
    bodySha256: bodyHash(input.raw),
    receivedAt,
    // Test and information events change no state: recorded as applied at once.
    status: queued ? 'accepted' : 'applied',
    eventCount: 1,
    partnerIds: [input.partnerId],
    partnerCenter: { eventName: event.EventName, resourceUri: event.ResourceUri, handling },
    ...(queued ? {} : { appliedAt: receivedAt }),
  };
  let created: Awaited<ReturnType<typeof createReceipt>>;
  try {
    created = await createReceipt(receipt);
  } catch (e) {
    return { kind: 'unavailable', logReason: `receipt ${id} could not be created: ${(e as Error).message}` };
  }
  if (!created.created) return { kind: 'duplicate', eventName: event.EventName, receiptId: id, receivedAt: created.existing?.receivedAt ?? receivedAt };
  if (!queued) return { kind: 'recorded', eventName: event.EventName, receiptId: id, handling: handling as 'test' | 'information' };
  const message: PartnerCenterMessage = { kind: 'partner-center-event', v: 1, partnerId: input.partnerId, partnerIds: [input.partnerId], receiptId: id, receivedAt, event };
  try {
    await sendMessages(QUEUES.partnerCenter, [message]);
  } catch (e) {
    // Nothing may stay recorded that will never be applied: Partner Center's retry is then accepted again.
    await deleteReceipt(id).catch(() => undefined);
    return { kind: 'unavailable', logReason: `enqueue of ${id} failed: ${(e as Error).message}` };
  }
  return { kind: 'queued', eventName: event.EventName, receiptId: id };
}
