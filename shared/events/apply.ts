import { addYears } from '../lib/dates';
import { createHash } from 'node:crypto';
import type { AssociationsDoc, LifecycleState, ProfessionalsDoc, StoredAssociation, StoredCertification, StoredProfessional, TelemetryDoc } from '../state/documents';
import { isNewer, telemetryRowKey } from '../state/documents';
import { checkTransition, SNAPSHOT_STATUS } from './lifecycle';
import type { EventOf, WebhookEvent } from './schemas';

/**
 * Pure application of events to a partner's state documents. Each function mutates the document it is
 * given and reports per event what happened; it is deterministic and idempotent, because
 * updateStateDoc may run it again on a fresh copy after an etag conflict.
 *
 * Ordering: an event older than what a record holds never changes its current state (isNewer), but is
 * still added to the record's history, so deliveries in any order end in the same documents.
 */

export type EventResult = 'applied' | 'unchanged' | 'older' | 'refused';
export interface EventOutcome {
  eventId: string;
  type: string;
  partnerId: string;
  result: EventResult;
  reason?: string;
}

const EPOCH = '1970-01-01T00:00:00.000Z';
const DAY_MS = 86_400_000;

/** UTC calendar date of an ISO date-time (occurredAt may carry any offset). */
export const utcDate = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/** Events of a delivery are applied oldest first (ties by id), the order they happened in. */
export function chronological<T extends { occurredAt: string; id: string }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const outcome = (e: WebhookEvent, result: EventResult, reason?: string): EventOutcome => ({ eventId: e.id, type: e.type, partnerId: e.partnerId, result, ...(reason ? { reason } : {}) });

// ---------------------------------------------------------------- associations

export type AssociationEvent = Extract<WebhookEvent, { type: `cpor.${string}` | `pal.${string}` | `dpor.${string}` | `csp.${string}` }>;

export function isAssociationEvent(e: WebhookEvent): e is AssociationEvent {
  return e.type.startsWith('cpor.') || e.type.startsWith('pal.') || e.type.startsWith('dpor.') || e.type.startsWith('csp.');
}

const CPOR_STATE: Record<string, LifecycleState> = {
  'cpor.claim.submitted': 'submitted',
  'cpor.claim.approved': 'approved',
  'cpor.claim.rejected': 'rejected',
  'cpor.claim.disputed': 'disputed',
  'cpor.claim.declined': 'declined',
  'cpor.claim.disassociated': 'disassociated',
};

interface AssociationChange {
  key: string;
  kind: StoredAssociation['type'];
  state: LifecycleState;
  fields: Pick<StoredAssociation, 'tenantId' | 'subscriptionId' | 'workloads' | 'solutionArea' | 'role' | 'cspTier'>;
  details: Record<string, string>;
}

/** The association an event is about (its key in the document) and what it says about it. */
export function associationChange(e: AssociationEvent): AssociationChange {
  const clean = <T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
  switch (e.type) {
    case 'cpor.claim.submitted':
    case 'cpor.claim.approved':
    case 'cpor.claim.rejected':
    case 'cpor.claim.disputed':
    case 'cpor.claim.declined':
    case 'cpor.claim.disassociated': {
      const d = e.data;
      return {
        key: `cpor:${d.claimId}`,
        kind: 'CPOR',
        state: CPOR_STATE[e.type]!,
        fields: clean({ tenantId: d.tenantId, subscriptionId: d.subscriptionId, workloads: d.workloads, solutionArea: d.solutionArea, role: d.role }),
        details: clean({ claimId: d.claimId, reason: d.reason }),
      };
    }
    case 'pal.linked':
    case 'pal.unlinked': {
      const d = e.data;
      return {
        key: `pal:${d.tenantId}:${d.objectId}`,
        kind: 'PAL',
        state: e.type === 'pal.linked' ? 'linked' : 'unlinked',
        fields: { tenantId: d.tenantId },
        details: clean({ objectId: d.objectId, scope: d.scope, rbacRole: d.role }),
      };
    }
    case 'dpor.attached':
    case 'dpor.detached': {
      const d = e.data;
      return {
        key: `dpor:${d.subscriptionId}`,
        kind: 'DPOR',
        state: e.type === 'dpor.attached' ? 'attached' : 'detached',
        fields: { tenantId: d.tenantId, subscriptionId: d.subscriptionId },
        details: clean({ workloadFamily: d.workloadFamily }),
      };
    }
    case 'csp.relationship.started':
    case 'csp.relationship.ended': {
      const d = e.data;
      return { key: `csp:${d.tenantId}`, kind: 'CSP', state: e.type === 'csp.relationship.started' ? 'active' : 'ended', fields: { tenantId: d.tenantId, cspTier: d.tier }, details: {} };
    }
  }
}

type HistoryEntry = StoredAssociation['history'][number];

const byTime = (a: { at: string; eventId: string }, b: { at: string; eventId: string }) => Date.parse(a.at) - Date.parse(b.at) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/**
 * Recomputes an association's current state by replaying its history in time order. Events the
 * lifecycle does not allow at their place are marked refused and skipped, so the result depends only on
 * which events were received, never on the order they arrived in.
 */
export function replayAssociation(rec: StoredAssociation): void {
  rec.history.sort(byTime);
  let lifecycle: LifecycleState | undefined;
  let status: StoredAssociation['status'] | undefined;
  let start: string | undefined;
  let end: string | undefined;
  let newest: HistoryEntry | undefined;
  const effective: HistoryEntry[] = [];
  for (const h of rec.history) {
    const check = checkTransition(rec.type, lifecycle, h.state, effective, h.at);
    if (!check.ok) {
      h.refused = check.reason;
      continue;
    }
    delete h.refused;
    const date = utcDate(h.at);
    const prev = status;
    const closed = (s: typeof status) => s === 'ended' || s === 'rejected';
    lifecycle = h.state;
    status = SNAPSHOT_STATUS[h.state];
    if (status === 'active') {
      if (prev !== 'active') start = date;
      end = undefined;
    } else if (status === 'pending') {
      if (start === undefined || closed(prev)) start = date;
      end = undefined;
    } else {
      if (!closed(prev)) end = date;
      start ??= date;
    }
    effective.push(h);
    newest = h;
  }
  if (!newest || !lifecycle || !status || !start) return;
  rec.lifecycle = lifecycle;
  rec.status = status;
  rec.startDate = start;
  if (end) rec.endDate = end;
  else delete rec.endDate;
  rec.updatedAt = newest.at;
  rec.lastEventId = newest.eventId;
  const variant = newest.v ? rec.variants?.[newest.v] : undefined;
  if (variant) {
    for (const k of DESCRIPTIVE) delete rec[k];
    Object.assign(rec, variant.fields);
    rec.details = { ...variant.details };
  }
}

const DESCRIPTIVE = ['subscriptionId', 'workloads', 'solutionArea', 'role', 'cspTier'] as const;

/** Short content hash of what an event says about the association's descriptive fields. */
function variantKey(v: unknown): string {
  return createHash('sha1').update(JSON.stringify(v)).digest('base64url').slice(0, 12);
}

export function applyAssociationEvents(doc: AssociationsDoc, events: readonly AssociationEvent[]): EventOutcome[] {
  const out: EventOutcome[] = [];
  for (const e of chronological(events)) {
    const c = associationChange(e);
    const rec = doc.items[c.key];
    if (rec && rec.history.some((h) => h.eventId === e.id)) {
      out.push(outcome(e, 'unchanged', 'already applied'));
      continue;
    }
    if (rec && rec.type !== c.kind) {
      out.push(outcome(e, 'refused', `association ${c.key} is a ${rec.type} association, not ${c.kind}`));
      continue;
    }
    const note = 'reason' in e.data && typeof e.data.reason === 'string' ? e.data.reason : undefined;
    const variant = { fields: c.fields, details: c.details };
    const v = variantKey(variant);
    const entry: HistoryEntry = { state: c.state, at: e.occurredAt, eventId: e.id, v, ...(note ? { note } : {}) };
    const next: StoredAssociation = rec
      ? { ...rec, history: [...rec.history, entry], variants: { ...(rec.variants ?? {}), [v]: variant } }
      : { id: c.key, type: c.kind, ...c.fields, status: 'pending', startDate: utcDate(e.occurredAt), lifecycle: c.state, details: c.details, history: [entry], variants: { [v]: variant }, updatedAt: e.occurredAt, lastEventId: e.id };
    replayAssociation(next);
    doc.items[c.key] = next;
    const stored = next.history.find((h) => h.eventId === e.id)!;
    if (stored.refused) out.push(outcome(e, 'refused', `${c.key}: ${stored.refused}`));
    else if (next.lastEventId === e.id) out.push(outcome(e, 'applied'));
    else out.push(outcome(e, 'older', `association ${c.key} already reflects a newer event (${next.lastEventId} at ${next.updatedAt}); recorded in its history`));
  }
  return out;
}

// ---------------------------------------------------------------- professionals and certifications

export type ProfessionalEvent = Extract<WebhookEvent, { type: `professional.${string}` | `certification.${string}` }>;

export function isProfessionalEvent(e: WebhookEvent): e is ProfessionalEvent {
  return e.type.startsWith('professional.') || e.type.startsWith('certification.');
}

export const LINKS_PER_YEAR = 3;
export const LINK_COOL_OFF_DAYS = 30;

function placeholderProfessional(learnProfileId: string): StoredProfessional {
  // Versioned at the epoch: the person's link events, whenever they arrive, are newer than this placeholder.
  return { id: learnProfileId, learnProfileId, linked: false, linkHistory: [], certifications: {}, updatedAt: EPOCH, lastEventId: '' };
}

/** Refusal reason when linking on `date` would break the program's limits (3 links a year, 30 days apart). */
export function linkLimitProblem(history: readonly string[], date: string): string | undefined {
  const t = Date.parse(`${date}T00:00:00Z`);
  const before = history.filter((d) => d <= date);
  const last = before[before.length - 1];
  if (last && t - Date.parse(`${last}T00:00:00Z`) < LINK_COOL_OFF_DAYS * DAY_MS) {
    const from = new Date(Date.parse(`${last}T00:00:00Z`) + LINK_COOL_OFF_DAYS * DAY_MS).toISOString().slice(0, 10);
    return `link limit: this professional was last linked on ${last}; links must be at least ${LINK_COOL_OFF_DAYS} days apart, so the next link is possible from ${from}`;
  }
  const inYear = before.filter((d) => t - Date.parse(`${d}T00:00:00Z`) < 365 * DAY_MS);
  if (inYear.length >= LINKS_PER_YEAR) {
    const from = new Date(Date.parse(`${inYear[0]}T00:00:00Z`) + 365 * DAY_MS).toISOString().slice(0, 10);
    return `link limit: this professional was already linked ${inYear.length} times in the 12 months before ${date} (${inYear.join(', ')}); at most ${LINKS_PER_YEAR} links a year are allowed, so the next link is possible from ${from}`;
  }
  return undefined;
}

/** Recomputes link state from the link events in time order, enforcing the program's limits at each link. */
export function replayLinks(p: StoredProfessional): void {
  const events = (p.linkEvents ?? []).sort(byTime);
  let linked = false;
  let any = false;
  let linkedOn: string | undefined;
  let unlinkedOn: string | undefined;
  const dates: string[] = [];
  let newest: (typeof events)[number] | undefined;
  for (const ev of events) {
    const date = utcDate(ev.at);
    delete ev.refused;
    if (ev.linked && !linked) {
      const problem = linkLimitProblem(dates, date);
      if (problem) {
        ev.refused = problem;
        continue;
      }
      dates.push(date);
      linked = true;
      linkedOn = date;
      unlinkedOn = undefined;
    } else if (!ev.linked) {
      if (any && !linked) {
        ev.refused = `already unlinked since ${unlinkedOn}`;
        continue;
      }
      linked = false;
      unlinkedOn = date;
    }
    any = true;
    newest = ev;
  }
  p.linked = linked;
  p.linkHistory = dates;
  if (linkedOn) p.linkedOn = linkedOn;
  else delete p.linkedOn;
  if (unlinkedOn) p.unlinkedOn = unlinkedOn;
  else delete p.unlinkedOn;
  p.updatedAt = newest?.at ?? EPOCH;
  p.lastEventId = newest?.eventId ?? '';
}

function applyLink(doc: ProfessionalsDoc, e: EventOf<'professional.linked'> | EventOf<'professional.unlinked'>): EventOutcome {
  const key = e.data.learnProfileId;
  const p = doc.items[key] ?? placeholderProfessional(key);
  if ((p.linkEvents ?? []).some((x) => x.eventId === e.id)) return outcome(e, 'unchanged', 'already applied');
  if (!p.linkEvents) {
    // Links recorded before link events were kept (an import) become the start of the history.
    p.linkEvents = p.linkHistory.map((d, i) => ({ linked: true, at: `${d}T00:00:00.000Z`, eventId: `imported-${i}` }));
  }
  p.linkEvents.push({ linked: e.type === 'professional.linked', at: e.occurredAt, eventId: e.id });
  replayLinks(p);
  if ((e.data.name !== undefined || e.data.email !== undefined) && (!p.contactAt || Date.parse(e.occurredAt) > Date.parse(p.contactAt))) {
    if (e.data.name !== undefined) p.name = e.data.name;
    if (e.data.email !== undefined) p.email = e.data.email;
    p.contactAt = e.occurredAt;
  }
  doc.items[key] = p;
  const stored = p.linkEvents.find((x) => x.eventId === e.id)!;
  if (stored.refused) return outcome(e, 'refused', `professional ${key}: ${stored.refused}`);
  if (p.lastEventId !== e.id) return outcome(e, 'older', `professional ${key} already reflects a newer event (${p.lastEventId} at ${p.updatedAt}); recorded in its history`);
  return outcome(e, 'applied');
}

type CertEvent = EventOf<'certification.earned'> | EventOf<'certification.renewed'> | EventOf<'certification.expired'>;

function applyCertification(doc: ProfessionalsDoc, e: CertEvent, source: string): EventOutcome {
  const key = e.data.learnProfileId;
  const p = doc.items[key] ?? placeholderProfessional(key);
  const certId = e.data.certificationId;
  const cert: StoredCertification | undefined = p.certifications[certId];
  const version = cert?.webhook ? { updatedAt: cert.webhook.at, lastEventId: cert.webhook.eventId } : undefined;
  if (cert?.webhook && (cert.webhook.eventId === e.id || cert.webhook.earnedEventId === e.id)) return outcome(e, 'unchanged', 'already applied');
  const newer = isNewer(version, e.occurredAt, e.id);
  // Provisional earning date when the first news of a certification is a renewal or expiry; an `earned` event corrects it whenever it arrives.
  const next: StoredCertification = cert
    ? structuredClone(cert)
    : { certificationId: certId, earnedOn: e.type === 'certification.earned' ? e.data.earnedOn : e.type === 'certification.renewed' ? addYears(e.data.renewedOn, -1) : addYears(e.data.expiredOn, -1), updatedAt: e.occurredAt };
  let changed = !cert;
  if (e.type === 'certification.earned') {
    const earnedVersion = next.webhook?.earnedAt ? { updatedAt: next.webhook.earnedAt, lastEventId: next.webhook.earnedEventId ?? '' } : undefined;
    if (isNewer(earnedVersion, e.occurredAt, e.id)) {
      next.earnedOn = e.data.earnedOn;
      next.webhook = { ...(next.webhook ?? { at: e.occurredAt, eventId: e.id }), earnedAt: e.occurredAt, earnedEventId: e.id };
      changed = true;
    }
  }
  if (e.type === 'certification.renewed' && !(next.renewals ?? []).some((r) => r.renewedOn === e.data.renewedOn)) {
    next.renewals = [...(next.renewals ?? []), { renewedOn: e.data.renewedOn, ...(e.data.expiresOn ? { expiresOn: e.data.expiresOn } : {}) }].sort((a, b) => (a.renewedOn < b.renewedOn ? -1 : 1));
    changed = true;
  }
  if (newer) {
    // The newest event decides the current expiry; without one, the engine derives it from earning and renewals.
    const expiresOn = e.type === 'certification.expired' ? e.data.expiredOn : e.data.expiresOn;
    if (expiresOn) next.expiresOn = expiresOn;
    else delete next.expiresOn;
    next.removed = false;
    delete next.removedReason;
    next.source = source;
    next.updatedAt = e.occurredAt;
    next.webhook = { ...(next.webhook ?? {}), at: e.occurredAt, eventId: e.id };
    changed = true;
  }
  if (!changed) return outcome(e, 'older', `certification ${certId} of ${key} already reflects a newer event`);
  p.certifications[certId] = next;
  doc.items[key] = p;
  return outcome(e, newer ? 'applied' : 'older', newer ? undefined : `certification ${certId} of ${key}: kept the newer expiry, recorded the older facts`);
}

export function applyProfessionalEvents(doc: ProfessionalsDoc, events: readonly ProfessionalEvent[], source: string | ((e: WebhookEvent) => string)): EventOutcome[] {
  const sourceOf = typeof source === 'string' ? () => source : source;
  return chronological(events).map((e) =>
    e.type === 'professional.linked' || e.type === 'professional.unlinked' ? applyLink(doc, e) : applyCertification(doc, e, sourceOf(e)),
  );
}

// ---------------------------------------------------------------- telemetry

export type TelemetryEvent = EventOf<'telemetry.monthly'>;

export function applyTelemetryEvents(doc: TelemetryDoc, events: readonly TelemetryEvent[]): EventOutcome[] {
  return chronological(events).map((e) => {
    const { month, ...figures } = e.data;
    const row = { ...figures, month, offer: figures.offer ?? 'standard' };
    const key = telemetryRowKey(row);
    const existing = doc.rows[key];
    if (existing?.lastEventId === e.id) return outcome(e, 'unchanged', 'already applied');
    if (!isNewer(existing, e.occurredAt, e.id)) return outcome(e, 'older', `telemetry ${month} ${key} already holds a newer report (${existing!.lastEventId})`);
    // A report replaces the row as a whole: the sender states the month's figures, not increments.
    doc.rows[key] = { ...row, updatedAt: e.occurredAt, lastEventId: e.id };
    return outcome(e, 'applied');
  });
}

