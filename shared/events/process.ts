import { markStateChanged } from '../recompute/request';
import { DOC_IDS, type AssociationsDoc, type ProfessionalsDoc, type ProfileDoc, type TelemetryDoc } from '../state/documents';
import { initAssociations, initProfessionals, initProfile, initTelemetry, updateStateDoc, Usage } from '../state/store';
import { readReceipt, markReceiptApplied } from '../webhooks/receipts';
import {
  applyAssociationEvents,
  applyProfessionalEvents,
  applyTelemetryEvents,
  isAssociationEvent,
  isProfessionalEvent,
  type AssociationEvent,
  type EventOutcome,
  type ProfessionalEvent,
  type TelemetryEvent,
} from './apply';
import { eventsMessageSchema, type EventsMessage } from './message';
import type { WebhookEvent } from './schemas';
import { zodDetails } from '../validation';

/** A message that can never succeed: it goes straight to the dead-letter store instead of being retried. */
export class PermanentMessageError extends Error {}

export function parseEventsMessage(value: unknown): EventsMessage {
  const parsed = eventsMessageSchema.safeParse(value);
  if (!parsed.success) throw new PermanentMessageError(`not a webhook delivery message: ${zodDetails(parsed.error).slice(0, 10).map((d) => `${d.path}: ${d.message}`).join('; ')}`);
  return parsed.data;
}

async function eventsOf(message: EventsMessage): Promise<WebhookEvent[]> {
  if (message.events) return message.events as WebhookEvent[];
  const receipt = await readReceipt(message.receiptId);
  if (!receipt?.events) throw new PermanentMessageError(`delivery ${message.receiptId} refers to its receipt for the events, but the receipt ${receipt ? 'holds none' : 'no longer exists (receipts are kept 7 days)'}`);
  return receipt.events;
}

/** Runs a pure apply function inside an etag-guarded update; reports whether it changed the document. */
async function update<D extends AssociationsDoc | ProfessionalsDoc | TelemetryDoc>(
  partnerId: string,
  docId: string,
  init: () => D,
  apply: (doc: D) => EventOutcome[],
  usage: Usage,
): Promise<{ outcomes: EventOutcome[]; changed: boolean }> {
  let outcomes: EventOutcome[] = [];
  const { changed } = await updateStateDoc<D>(partnerId, docId, init, (doc) => {
    const before = JSON.stringify(doc);
    outcomes = apply(doc);
    return JSON.stringify(doc) !== before;
  }, { usage });
  return { outcomes, changed };
}

export interface PartnerApplyResult {
  partnerId: string;
  outcomes: EventOutcome[];
  changed: boolean;
  recomputeRequested: boolean;
}

/**
 * Applies one partner's events: one read-modify-write per document touched (associations,
 * professionals, each telemetry month), then the month list on the profile, then one recompute request.
 */
export async function applyPartnerEvents(partnerId: string, events: readonly WebhookEvent[], source: string, opts: { retry?: boolean; usage?: Usage } = {}): Promise<PartnerApplyResult> {
  const usage = opts.usage ?? new Usage();
  const assoc = events.filter(isAssociationEvent) as AssociationEvent[];
  const prof = events.filter(isProfessionalEvent) as ProfessionalEvent[];
  const byMonth = new Map<string, TelemetryEvent[]>();
  for (const e of events) if (e.type === 'telemetry.monthly') byMonth.set(e.data.month, [...(byMonth.get(e.data.month) ?? []), e]);

  const work: Promise<{ outcomes: EventOutcome[]; changed: boolean }>[] = [];
  if (assoc.length) work.push(update<AssociationsDoc>(partnerId, DOC_IDS.associations, initAssociations(partnerId), (d) => applyAssociationEvents(d, assoc), usage));
  if (prof.length) work.push(update<ProfessionalsDoc>(partnerId, DOC_IDS.professionals, initProfessionals(partnerId), (d) => applyProfessionalEvents(d, prof, source), usage));
  for (const [month, list] of byMonth) work.push(update<TelemetryDoc>(partnerId, DOC_IDS.telemetry(month), initTelemetry(partnerId, month), (d) => applyTelemetryEvents(d, list), usage));
  const results = await Promise.all(work);
  let changed = results.some((r) => r.changed);

  if (byMonth.size) {
    // Checked on every delivery with telemetry, not only when a row changed: a retry after a crash must still register the month.
    const months = [...byMonth.keys()];
    const r = await updateStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, initProfile(partnerId), (doc) => {
      const missing = months.filter((m) => !doc.telemetryMonths.includes(m));
      if (!missing.length) return false;
      doc.telemetryMonths = [...doc.telemetryMonths, ...missing].sort();
      return true;
    }, { usage });
    changed ||= r.changed;
  }
  // On a retry the documents may already hold this delivery from an attempt that failed before asking for a recompute.
  let recomputeRequested = false;
  if (changed || opts.retry) {
    await markStateChanged(partnerId, { usage });
    recomputeRequested = true;
  }
  return { partnerId, outcomes: results.flatMap((r) => r.outcomes), changed, recomputeRequested };
}

/** Applies a whole delivery message: every partner it names, then the receipt's summary. */
export async function processDelivery(value: unknown, opts: { retry?: boolean } = {}): Promise<{ message: EventsMessage; results: PartnerApplyResult[]; usage: Usage }> {
  const message = parseEventsMessage(value);
  const events = await eventsOf(message);
  const usage = new Usage();
  const byPartner = new Map<string, WebhookEvent[]>();
  for (const e of events) byPartner.set(e.partnerId, [...(byPartner.get(e.partnerId) ?? []), e]);
  const results = await Promise.all([...byPartner].map(([partnerId, list]) => applyPartnerEvents(partnerId, list, message.source, { retry: opts.retry, usage })));
  await markReceiptApplied(message.receiptId, results.flatMap((r) => r.outcomes));
  return { message, results, usage };
}
