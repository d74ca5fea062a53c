import { getSettings } from '../config/settings';
import { applyPartnerEvents, PermanentMessageError } from '../deliveries/process';
import { markReceiptApplied } from '../deliveries/receipts';
import type { EventOutcome } from '../events/apply';
import { EVENT_SCHEMAS, type WebhookEvent } from '../events/schemas';
import { zodDetails } from '../lib/validation';
import { patchDocument } from '../store/documents';
import { isNotFound } from '../store/errors';
import { getResource, tokenProviderFor, type TokenProvider } from './api';
import { customerIdOf, customerSchema, handlingOf, type PartnerCenterEvent } from './payload';
import { PARTNER_CENTER_SOURCE, partnerCenterMessageSchema, type PartnerCenterMessage } from './receive';

export interface ProcessResult {
  message: PartnerCenterMessage;
  outcomes: EventOutcome[];
  changed: boolean;
  recorded?: Record<string, unknown>;
}

/**
 * This service's own event for a CSP relationship the customer accepted. Its id comes from the receipt (the hash
 * of the body Microsoft signed), so every retry of the queue step and every redelivery produce the same event,
 * which the apply path applies once.
 */
export function cspEventFor(message: PartnerCenterMessage, tenantId: string, tier: 1 | 2): WebhookEvent {
  const raw = {
    id: `pc-${message.receiptId.slice(message.receiptId.lastIndexOf('.') + 1)}`,
    type: 'csp.relationship.started',
    partnerId: message.partnerId,
    occurredAt: message.event.ResourceChangeUtcDate,
    data: { tenantId, tier },
  };
  const parsed = EVENT_SCHEMAS['csp.relationship.started'].safeParse(raw);
  if (!parsed.success) throw new PermanentMessageError(`the customer's relationship cannot be an association: ${zodDetails(parsed.error).map((d) => `${d.path}: ${d.message}`).join('; ')}`);
  return parsed.data;
}

async function readCustomer(event: PartnerCenterEvent, token: TokenProvider) {
  const s = getSettings();
  const path = new URL(event.ResourceUri).pathname;
  const customerId = customerIdOf(path);
  if (!customerId) throw new PermanentMessageError(`ResourceUri ${event.ResourceUri} does not name a customer (/v1/customers/{id})`);
  const opts = { baseUrl: s.PARTNER_CENTER_API_BASE_URL, token, timeoutMs: s.PARTNER_CENTER_TIMEOUT_MS, maxAttempts: s.PARTNER_CENTER_FETCH_ATTEMPTS, backoffMs: s.PARTNER_CENTER_BACKOFF_MS };
  const resource = await getResource(event.ResourceUri, opts);
  return { customerId, resource, opts };
}

/**
 * The queue step of a Partner Center event: read the resource the event points to (with the app-only token) and
 * apply what it says through the same path as this service's own events; then mark the receipt applied.
 */
export async function processPartnerCenterMessage(value: unknown, opts: { retry?: boolean; token?: TokenProvider } = {}): Promise<ProcessResult> {
  const parsed = partnerCenterMessageSchema.safeParse(value);
  if (!parsed.success) throw new PermanentMessageError(`not a Partner Center event message: ${zodDetails(parsed.error).slice(0, 10).map((d) => `${d.path}: ${d.message}`).join('; ')}`);
  const message = parsed.data;
  const token = opts.token ?? tokenProviderFor(getSettings());
  const handling = handlingOf(message.event.EventName);
  if (handling.kind === 'csp-relationship') {
    const { resource } = await readCustomer(message.event, token);
    const customer = customerSchema.safeParse(resource);
    if (!customer.success) throw new PermanentMessageError(`the customer at ${message.event.ResourceUri} is not a Partner Center customer: ${zodDetails(customer.error).slice(0, 5).map((d) => `${d.path}: ${d.message}`).join('; ')}`);
    // Partner Center's customer id is the customer's tenant id; the profile says so explicitly when present.
    const tenantId = customer.data.companyProfile?.tenantId ?? customer.data.id;
    const event = cspEventFor(message, tenantId, handling.tier);
    const result = await applyPartnerEvents(message.partnerId, [event], PARTNER_CENTER_SOURCE, { retry: opts.retry });
    await markReceiptApplied(message.receiptId, result.outcomes);
    return { message, outcomes: result.outcomes, changed: result.changed, recorded: { tenantId, tier: handling.tier } };
  }
  if (handling.kind === 'customer') {
    const { customerId, resource } = await readCustomer(message.event, token);
    const r = (resource ?? {}) as Record<string, unknown>;
    const pick = (k: string) => (typeof r[k] === 'string' || typeof r[k] === 'number' ? r[k] : undefined);
    // The customer and the subscription as Partner Center has them now, kept with the event's receipt.
    const recorded = { customerId, resourceId: pick('id'), offerName: pick('offerName'), status: pick('status'), quantity: pick('quantity') };
    try {
      await patchDocument('receipts', message.receiptId, message.receiptId, [{ op: 'set', path: '/partnerCenter/resource', value: recorded }]);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    await markReceiptApplied(message.receiptId, []);
    return { message, outcomes: [], changed: false, recorded };
  }
  // Test and information events are recorded at receipt and never queued; a stray one changes nothing.
  await markReceiptApplied(message.receiptId, []);
  return { message, outcomes: [], changed: false };
}
