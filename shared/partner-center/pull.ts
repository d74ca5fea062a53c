import { z } from 'zod';
import { getSettings } from '../config/settings';
import { applyPartnerEvents, PermanentMessageError } from '../deliveries/process';
import { partnerIdSchema } from '../lib/ids';
import { zodDetails } from '../lib/validation';
import { DOC_IDS, type AssociationsDoc } from '../state/documents';
import { readStateDoc } from '../state/state-store';
import { RequestCharges } from '../store/request-charges';
import { getResource, PartnerCenterApiError, tokenProviderFor, type ApiOptions, type TokenProvider } from './api';
import { customerPageSchema, subscriptionPageSchema, type PartnerCenterCustomer } from './payload';
import { PARTNER_CENTER_SOURCE } from './receive';
import { firstSeenRelationships, reconcileCsp, relationshipsOf, type PulledRelationship } from './reconcile';
import { EARLIEST_DATE } from '../events/plausibility';

/** Queue `partner-center-pull`: pull one partner's customer list from Partner Center and reconcile it. */
export const pullMessageSchema = z.object({
  kind: z.literal('partner-center-pull'),
  partnerId: partnerIdSchema,
  trigger: z.string().max(100).optional(),
});
export type PullMessage = z.infer<typeof pullMessageSchema>;

/** Pages of a customer list are read until this many: a runaway `links.next` loop cannot hold the worker forever. */
const MAX_PAGES = 1000;
/** The events a delivery may carry; a large reconciliation is applied in steps of this many. */
const APPLY_BATCH = 500;

/**
 * `links.next.uri` is relative to the API version (`/customers?size=500&seekOperation=Next`): the next page's path
 * under `/v1`, unless it already names a version.
 */
export function nextPageUri(uri: string): string {
  if (/^https?:\/\//i.test(uri) || /^\/v\d+\//i.test(uri)) return uri;
  return `/v1${uri.startsWith('/') ? '' : '/'}${uri}`;
}

/** Every customer of the partner, following `links.next` with its MS-ContinuationToken header. */
export async function listCustomers(opts: ApiOptions & { pageSize: number }): Promise<{ customers: PartnerCenterCustomer[]; pages: number }> {
  const customers: PartnerCenterCustomer[] = [];
  let uri = `/v1/customers?size=${opts.pageSize}`;
  let headers: Record<string, string> = {};
  for (let pages = 1; ; pages++) {
    const parsed = customerPageSchema.safeParse(await getResource(uri, opts, headers));
    // A page that is not a customer list will not become one on a retry: the pull stops here, having changed nothing.
    if (!parsed.success) throw new PermanentMessageError(`page ${pages} of the customer list is not a Partner Center customer collection: ${zodDetails(parsed.error).slice(0, 5).map((d) => `${d.path}: ${d.message}`).join('; ')}`);
    customers.push(...parsed.data.items);
    const next = parsed.data.links?.next;
    if (!next || !parsed.data.items.length) return { customers, pages };
    if (pages >= MAX_PAGES) throw new PermanentMessageError(`the customer list did not end after ${MAX_PAGES} pages of ${opts.pageSize}`);
    uri = nextPageUri(next.uri);
    headers = Object.fromEntries((next.headers ?? []).map((h) => [h.key, h.value]));
  }
}

/** Subscription lists read at once while dating new relationships. */
const SUBSCRIPTION_READS_AT_ONCE = 4;

/**
 * When a relationship the state does not hold began, as far as Partner Center says: its customer's earliest
 * subscription creation date (the list of customers carries no start date). Undefined when it has no subscription
 * or none with a plausible date, and the pull dates it itself.
 */
async function firstSubscriptionOn(r: PulledRelationship, api: ApiOptions, now: Date): Promise<string | undefined> {
  let body: unknown;
  try {
    body = await getResource(`/v1/customers/${encodeURIComponent(r.customerId ?? r.tenantId)}/subscriptions`, api);
  } catch (e) {
    if (e instanceof PartnerCenterApiError && e.status === 404) return undefined;
    throw e;
  }
  const page = subscriptionPageSchema.safeParse(body);
  if (!page.success) return undefined;
  const dates = page.data.items.flatMap((x) => (x.creationDate ? [new Date(x.creationDate)] : [])).filter((d) => d.toISOString().slice(0, 10) >= EARLIEST_DATE && d <= now);
  return dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))).toISOString() : undefined;
}

async function datesOf(relationships: readonly PulledRelationship[], api: ApiOptions, now: Date): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < relationships.length; i += SUBSCRIPTION_READS_AT_ONCE) {
    const slice = relationships.slice(i, i + SUBSCRIPTION_READS_AT_ONCE);
    const dates = await Promise.all(slice.map((r) => firstSubscriptionOn(r, api, now)));
    slice.forEach((r, j) => dates[j] && out.set(r.tenantId, dates[j]!));
  }
  return out;
}

export interface PullResult {
  partnerId: string;
  customers: number;
  pages: number;
  relationships: number;
  started: number;
  /** Of those started, how many are dated by their customer's first subscription (the others: the pull's time). */
  datedBySubscription: number;
  ended: number;
  inPlace: number;
  tierChanged: number;
  endsWithheld: number;
  changed: boolean;
}

/**
 * The nightly pull of one partner: reads the whole customer list first (a failure part way changes nothing and the
 * queue retries the message), then applies the reconciliation through the webhook path's apply step, which
 * recomputes the partner's score when it changed anything.
 */
export async function pullPartnerCenter(partnerId: string, opts: { token?: TokenProvider; now?: Date; retry?: boolean } = {}): Promise<PullResult> {
  const s = getSettings();
  const api = { baseUrl: s.PARTNER_CENTER_API_BASE_URL, token: opts.token ?? tokenProviderFor(s), timeoutMs: s.PARTNER_CENTER_TIMEOUT_MS, maxAttempts: s.PARTNER_CENTER_FETCH_ATTEMPTS, backoffMs: s.PARTNER_CENTER_BACKOFF_MS, pageSize: s.PARTNER_CENTER_PULL_PAGE_SIZE };
  const { customers, pages } = await listCustomers(api);
  const relationships = relationshipsOf(customers);
  const charges = new RequestCharges();
  const stored = await readStateDoc<AssociationsDoc>(partnerId, DOC_IDS.associations, charges);
  const now = opts.now ?? new Date();
  // Only relationships never seen before are dated: one request per new customer, none for those already known.
  const startedOn = await datesOf(firstSeenRelationships(stored, relationships), api, now);
  const plan = reconcileCsp(partnerId, stored, relationships, now, startedOn);
  let changed = false;
  for (let i = 0; i < plan.events.length; i += APPLY_BATCH) {
    const r = await applyPartnerEvents(partnerId, plan.events.slice(i, i + APPLY_BATCH), PARTNER_CENTER_SOURCE, { retry: opts.retry, charges });
    changed ||= r.changed;
  }
  const started = plan.events.filter((e) => e.type === 'csp.relationship.started').length - plan.tierChanged;
  const ended = plan.events.length - started - plan.tierChanged;
  return { partnerId, customers: customers.length, pages, relationships: relationships.length, started, datedBySubscription: startedOn.size, ended, inPlace: plan.inPlace, tierChanged: plan.tierChanged, endsWithheld: plan.endsWithheld, changed };
}
