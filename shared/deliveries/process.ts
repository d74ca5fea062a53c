import { getSettings } from '../config/settings';
import { markStateChanged } from '../recompute/request';
import { customerShardOf, DOC_IDS, emptyCustomers, type AssociationsDoc, type CustomersDoc, type ProfessionalsDoc, type ProfileDoc, type TelemetryDoc } from '../state/documents';
import { initAssociations, initProfessionals, initProfile, initTelemetry, readStateDoc, updateStateDoc } from '../state/state-store';
import { RequestCharges } from '../store/request-charges';
import { readReceipt, markReceiptApplied } from './receipts';
import {
  applyAssociationEvents,
  applyCustomerEvents,
  applyProfessionalEvents,
  applyProfileEvents,
  applyTelemetryEvents,
  isAssociationEvent,
  isCustomerEvent,
  isProfessionalEvent,
  isProfileEvent,
  type AssociationEvent,
  type CustomerEvent,
  type EventOutcome,
  type ProfessionalEvent,
  type ProfileEvent,
  type TelemetryEvent,
} from '../events/apply';
import { queueMessageSchema, type EventsMessage } from '../events/message';
import { isRetraction, retractFromAssociations, retractFromCustomers, retractFromProfessionals, retractFromProfile, retractFromTelemetry, retractionOutcomes, type RetractionEvent, type RetractionFindings } from '../events/retract';
import type { WebhookEvent } from '../events/schemas';
import { zodDetails } from '../lib/validation';

/** A message that can never succeed: it goes straight to the dead-letter store instead of being retried. */
export class PermanentMessageError extends Error {}

/** The deliveries a queue message carries (one, or several accepted together). */
export function parseEventsMessage(value: unknown): EventsMessage[] {
  const parsed = queueMessageSchema.safeParse(value);
  if (!parsed.success) throw new PermanentMessageError(`not a webhook delivery message: ${zodDetails(parsed.error).slice(0, 10).map((d) => `${d.path}: ${d.message}`).join('; ')}`);
  return parsed.data.kind === 'webhook-delivery' ? [parsed.data] : parsed.data.deliveries;
}

async function eventsOf(message: EventsMessage): Promise<WebhookEvent[]> {
  if (message.events) return message.events as WebhookEvent[];
  const receipt = await readReceipt(message.receiptId);
  if (!receipt?.events) throw new PermanentMessageError(`delivery ${message.receiptId} refers to its receipt for the events, but the receipt ${receipt ? 'holds none' : 'no longer exists (receipts are kept 7 days)'}`);
  return receipt.events;
}

/**
 * Runs a pure apply function inside an etag-guarded update, then offers the document the delivery's retractions;
 * reports whether it changed the document and what each retraction found in it.
 */
async function update<D extends AssociationsDoc | ProfessionalsDoc | TelemetryDoc | ProfileDoc | CustomersDoc>(
  partnerId: string,
  docId: string,
  init: () => D,
  apply: (doc: D) => EventOutcome[],
  charges: RequestCharges,
  retract?: (doc: D) => RetractionFindings,
): Promise<{ outcomes: EventOutcome[]; changed: boolean; findings?: RetractionFindings }> {
  let outcomes: EventOutcome[] = [];
  let findings: RetractionFindings | undefined;
  const { changed } = await updateStateDoc<D>(partnerId, docId, init, (doc) => {
    const before = JSON.stringify(doc);
    outcomes = apply(doc);
    findings = retract?.(doc);
    return JSON.stringify(doc) !== before;
  }, { charges });
  return { outcomes, changed, findings };
}

/**
 * What is known of a partner's profile in this process, none of which a later write undoes: telemetry months and
 * customer shards it lists (to skip the profile update for them; keys `month:YYYY-MM` and `shard:x`), and that it
 * holds no customers from before the shards (NO_LEGACY_CUSTOMERS, to skip reading it for them).
 */
const NO_LEGACY_CUSTOMERS = 'no-legacy-customers';
const knownDocs = new Map<string, Set<string>>();
function rememberDocs(partnerId: string, keys: string[]): void {
  if (knownDocs.size > 50_000) knownDocs.clear();
  const set = knownDocs.get(partnerId) ?? new Set<string>();
  for (const k of keys) set.add(k);
  knownDocs.set(partnerId, set);
}

/** Adds what is missing of `wanted` to a sorted list on the profile; false when nothing was. */
function addSorted(list: string[] | undefined, wanted: readonly string[]): string[] | undefined {
  const missing = wanted.filter((x) => !list?.includes(x));
  return missing.length ? [...(list ?? []), ...missing].sort() : undefined;
}

export interface PartnerApplyResult {
  partnerId: string;
  outcomes: EventOutcome[];
  changed: boolean;
  recomputeRequested: boolean;
  /** The partner's state version once these events were applied: a score of this version or later includes them. */
  stateVersion?: number;
}

/**
 * Applies one partner's events: one read-modify-write per document touched (profile, associations,
 * professionals, each telemetry month, each customers shard), then the month and shard lists on the profile, then
 * one recompute request.
 */
export async function applyPartnerEvents(partnerId: string, events: readonly WebhookEvent[], source: string | ((e: WebhookEvent) => string), opts: { retry?: boolean; charges?: RequestCharges } = {}): Promise<PartnerApplyResult> {
  const charges = opts.charges ?? new RequestCharges();
  const assoc = events.filter(isAssociationEvent) as AssociationEvent[];
  const prof = events.filter(isProfessionalEvent) as ProfessionalEvent[];
  const profile = events.filter(isProfileEvent) as ProfileEvent[];
  const byMonth = new Map<string, TelemetryEvent[]>();
  for (const e of events) if (e.type === 'telemetry.monthly') byMonth.set(e.data.month, [...(byMonth.get(e.data.month) ?? []), e]);
  const byShard = new Map<string, CustomerEvent[]>();
  for (const e of events.filter(isCustomerEvent) as CustomerEvent[]) {
    const shard = customerShardOf(e.data.tenantId);
    byShard.set(shard, [...(byShard.get(shard) ?? []), e]);
  }

  const retractions = events.filter(isRetraction) as RetractionEvent[];
  // A retraction does not say which document holds its event: every document of the partner is offered it.
  const offer = retractions.length > 0;
  // The profile as it was, for the documents a retraction is offered to and the customers it held before the shards.
  // A profile never gains such customers again, so once seen without them it is not read for them any more.
  const needLegacy = byShard.size > 0 && !knownDocs.get(partnerId)?.has(NO_LEGACY_CUSTOMERS);
  const known = offer || needLegacy ? await readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, charges) : undefined;
  if ((offer || needLegacy) && !known?.customers) rememberDocs(partnerId, [NO_LEGACY_CUSTOMERS]);
  const retractMonths = offer ? (known?.telemetryMonths ?? []).filter((m) => !byMonth.has(m)) : [];
  const retractShards = offer ? (known?.customerShards ?? []).filter((x) => !byShard.has(x)) : [];

  const work: Promise<{ outcomes: EventOutcome[]; changed: boolean; findings?: RetractionFindings }>[] = [];
  if (assoc.length || offer) work.push(update<AssociationsDoc>(partnerId, DOC_IDS.associations, initAssociations(partnerId), (d) => applyAssociationEvents(d, assoc), charges, offer ? (d) => retractFromAssociations(d, retractions) : undefined));
  if (prof.length || offer) work.push(update<ProfessionalsDoc>(partnerId, DOC_IDS.professionals, initProfessionals(partnerId), (d) => applyProfessionalEvents(d, prof, source), charges, offer ? (d) => retractFromProfessionals(d, retractions) : undefined));
  if (profile.length || offer) work.push(update<ProfileDoc>(partnerId, DOC_IDS.profile, initProfile(partnerId), (d) => applyProfileEvents(d, profile), charges, offer ? (d) => retractFromProfile(d, retractions) : undefined));
  for (const [month, list] of [...byMonth, ...retractMonths.map((m) => [m, []] as [string, TelemetryEvent[]])]) {
    work.push(update<TelemetryDoc>(partnerId, DOC_IDS.telemetry(month), initTelemetry(partnerId, month), (d) => applyTelemetryEvents(d, list), charges, offer ? (d) => retractFromTelemetry(d, retractions) : undefined));
  }
  for (const [shard, list] of [...byShard, ...retractShards.map((x) => [x, []] as [string, CustomerEvent[]])]) {
    work.push(update<CustomersDoc>(partnerId, DOC_IDS.customers(shard), () => emptyCustomers(partnerId, shard), (d) => applyCustomerEvents(d, list, known?.customers), charges, offer ? (d) => retractFromCustomers(d, retractions) : undefined));
  }
  const results = await Promise.all(work);
  if (offer) results.push({ outcomes: retractionOutcomes(retractions, results.flatMap((r) => (r.findings ? [r.findings] : []))), changed: false });
  let changed = results.some((r) => r.changed);

  // Checked on every delivery with telemetry or customers, not only when a row changed: a retry after a crash must
  // still list the month or the shard, or loading would never read that document.
  const seen = knownDocs.get(partnerId);
  const months = [...byMonth.keys()].filter((m) => !seen?.has(`month:${m}`));
  const shards = [...byShard.keys()].filter((x) => !seen?.has(`shard:${x}`));
  if (months.length || shards.length) {
    const r = await updateStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, initProfile(partnerId), (doc) => {
      const m = addSorted(doc.telemetryMonths, months);
      const c = addSorted(doc.customerShards, shards);
      if (m) doc.telemetryMonths = m;
      if (c) doc.customerShards = c;
      return !!(m || c);
    }, { charges });
    changed ||= r.changed;
    rememberDocs(partnerId, [...months.map((m) => `month:${m}`), ...shards.map((x) => `shard:${x}`)]);
  }
  // On a retry the documents may already hold this delivery from an attempt that failed before asking for a recompute.
  let recomputeRequested = false;
  let stateVersion: number | undefined;
  if (changed || opts.retry) {
    recomputeRequested = true;
    // Every change bumps the version and is seen by a recompute: leading-edge coalescing (shared/recompute/request.ts)
    // starts one at once, or folds the change into the pending one or the running one's follow-up.
    stateVersion = (await markStateChanged(partnerId, { charges, retry: opts.retry })).stateVersion;
  }
  return { partnerId, outcomes: results.flatMap((r) => r.outcomes), changed, recomputeRequested, ...(stateVersion !== undefined ? { stateVersion } : {}) };
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export interface MessageResult {
  deliveries: EventsMessage[];
  results: PartnerApplyResult[];
  /** Deliveries of the message that can never be applied (their receipt is gone); to dead-letter one by one. */
  unusable: { delivery: EventsMessage; reason: string }[];
  charges: RequestCharges;
}

/**
 * Applies a queue message: the events of all its deliveries, grouped by partner so each partner document
 * is written once for the whole message, then each delivery's receipt gets its own summary.
 */
export async function processDelivery(value: unknown, opts: { retry?: boolean } = {}): Promise<MessageResult> {
  const deliveries = parseEventsMessage(value);
  const charges = new RequestCharges();
  const unusable: MessageResult['unusable'] = [];
  const loaded = await pool(deliveries, 8, async (d) => {
    try {
      return { d, events: await eventsOf(d) };
    } catch (e) {
      if (!(e instanceof PermanentMessageError)) throw e;
      unusable.push({ delivery: d, reason: e.message });
      return { d, events: [] as WebhookEvent[] };
    }
  });
  const sourceOf = new Map<WebhookEvent, string>();
  const byPartner = new Map<string, WebhookEvent[]>();
  for (const { d, events } of loaded) {
    for (const e of events) {
      sourceOf.set(e, d.source);
      byPartner.set(e.partnerId, [...(byPartner.get(e.partnerId) ?? []), e]);
    }
  }
  const results = await pool([...byPartner], 8, ([partnerId, list]) => applyPartnerEvents(partnerId, list, (e) => sourceOf.get(e) ?? 'unknown', { retry: opts.retry, charges }));
  const outcomes = new Map<string, EventOutcome>();
  for (const o of results.flatMap((r) => r.outcomes)) if (!outcomes.has(`${o.partnerId}\u0000${o.eventId}`)) outcomes.set(`${o.partnerId}\u0000${o.eventId}`, o);
  const versions = new Map(results.flatMap((r) => (r.stateVersion !== undefined ? [[r.partnerId, r.stateVersion] as const] : [])));
  await pool(loaded.filter((l) => l.events.length), 8, ({ d, events }) =>
    markReceiptApplied(
      d.receiptId,
      events.map((e) => outcomes.get(`${e.partnerId}\u0000${e.id}`)).filter((o): o is EventOutcome => o !== undefined),
      Object.fromEntries(events.flatMap((e) => (versions.has(e.partnerId) ? [[e.partnerId, versions.get(e.partnerId)!]] : []))),
    ),
  );
  return { deliveries, results, unusable, charges };
}
