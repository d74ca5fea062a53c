import { z } from 'zod';
import { getSettings } from '../config/settings';
import { applyPartnerEvents, PermanentMessageError } from '../deliveries/process';
import { partnerIdSchema } from '../lib/ids';
import { zodDetails } from '../lib/validation';
import { DOC_IDS, type AssociationsDoc } from '../state/documents';
import { readStateDoc } from '../state/state-store';
import { RequestCharges } from '../store/request-charges';
import { getResource, tokenProviderFor, type ApiOptions, type TokenProvider } from './api';
import { customerPageSchema, type PartnerCenterCustomer } from './payload';
import { PARTNER_CENTER_SOURCE } from './receive';
import { reconcileCsp, relationshipsOf } from './reconcile';

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

export interface PullResult {
  partnerId: string;
  customers: number;
  pages: number;
  relationships: number;
  started: number;
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
  const plan = reconcileCsp(partnerId, stored, relationships, opts.now ?? new Date());
  let changed = false;
  for (let i = 0; i < plan.events.length; i += APPLY_BATCH) {
    const r = await applyPartnerEvents(partnerId, plan.events.slice(i, i + APPLY_BATCH), PARTNER_CENTER_SOURCE, { retry: opts.retry, charges });
    changed ||= r.changed;
  }
  const started = plan.events.filter((e) => e.type === 'csp.relationship.started').length - plan.tierChanged;
  const ended = plan.events.length - started - plan.tierChanged;
  return { partnerId, customers: customers.length, pages, relationships: relationships.length, started, ended, inPlace: plan.inPlace, tierChanged: plan.tierChanged, endsWithheld: plan.endsWithheld, changed };
}
