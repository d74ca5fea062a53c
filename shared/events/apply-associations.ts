import { createHash } from 'node:crypto';
import type { AssociationsDoc, LifecycleState, StoredAssociation } from '../state/documents';
import { checkTransition, SNAPSHOT_STATUS } from './lifecycle';
import type { WebhookEvent } from './schemas';
import { outcome, type EventOutcome } from './outcome';
import { byTime, chronological, utcDate } from './event-time';
import { retractedReason } from './tombstones';

// The associations reducer: CPOR claims, Partner Admin Link, DPOR and CSP relationships (see apply.ts).

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
  // Periods the association was in place (active), so the year-ago side of scoring can see a relationship that
  // ended and started again.
  const inPlace: { startDate: string; endDate: string }[] = [];
  let activeSince: string | undefined;
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
    if (status === 'active' && prev !== 'active') activeSince = date;
    else if (status !== 'active' && prev === 'active' && activeSince !== undefined) {
      if (date > activeSince) inPlace.push({ startDate: activeSince, endDate: date });
      activeSince = undefined;
    }
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
  // The current period is startDate..endDate itself; only periods that ended before it started are earlier ones.
  const earlier = inPlace.filter((p) => p.endDate <= start! && !(p.startDate === rec.startDate && p.endDate === rec.endDate));
  if (earlier.length > 0) rec.earlierPeriods = earlier;
  else delete rec.earlierPeriods;
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
    const gone = retractedReason(doc, e.id);
    if (gone) {
      out.push(outcome(e, 'refused', gone));
      continue;
    }
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
