import type { AreaId, Enrollment, Track } from '../scoring/snapshot';
import {
  MAX_PROFILE_FACTS,
  type CustomerFacts,
  type CustomersDoc,
  type DesignationFact,
  type DesignationRecord,
  type PartnerFacts,
  type ProfileDoc,
  type ProfileFact,
  type StoredCustomer,
  type TrackClassificationRecord,
  type Versioned,
} from '../state/documents';
import { byTime, chronological, utcDate } from './event-time';
import { outcome, type EventOutcome } from './outcome';
import type { WebhookEvent } from './schemas';
import { retractedReason } from './tombstones';

// The profile reducers (see apply.ts): partner.updated, designation.* and track.* on the profile document, and
// customer.updated on the customers document of the tenant's shard (customerShardOf).
//
// Every record (the partner itself, each customer tenant, each area's designation and track) keeps the facts its
// events stated, and its current values are a replay of them in time order (ties by event id): the same events give
// the same profile whatever order they arrive in, a redelivered id changes nothing, and a retraction replays without it.

export type ProfileEvent = Extract<WebhookEvent, { type: 'partner.updated' | `designation.${string}` | `track.${string}` }>;
export type CustomerEvent = Extract<WebhookEvent, { type: 'customer.updated' }>;

export function isProfileEvent(e: WebhookEvent): e is ProfileEvent {
  return e.type === 'partner.updated' || e.type.startsWith('designation.') || e.type.startsWith('track.');
}

export function isCustomerEvent(e: WebhookEvent): e is CustomerEvent {
  return e.type === 'customer.updated';
}

/** The document a record lives in: the profile, or a customers shard for a customer tenant. */
type FactDoc = ProfileDoc | CustomersDoc;
/** Customer records of a profile written before customers had their own documents (ProfileDoc.customers). */
type LegacyCustomers = Readonly<Record<string, StoredCustomer>> | undefined;

const factOrder = (a: ProfileFact<unknown>, b: ProfileFact<unknown>) => byTime({ at: a.at, eventId: a.eventId }, { at: b.at, eventId: b.eventId });

/** Adds a fact in time order, keeping the newest MAX_PROFILE_FACTS. */
function withFact<F>(facts: readonly ProfileFact<F>[] | undefined, fact: ProfileFact<F>): ProfileFact<F>[] {
  return [...(facts ?? []), fact].sort(factOrder).slice(-MAX_PROFILE_FACTS);
}

/** Later facts override earlier ones field by field: an event states only the fields it carries. */
function merge<F extends object>(facts: readonly ProfileFact<F>[]): F {
  const out = {} as F;
  for (const f of facts) for (const [k, v] of Object.entries(f.fields)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

const newest = <F>(facts: readonly ProfileFact<F>[]) => facts[facts.length - 1]!;

// --- the partner ---------------------------------------------------------------------------------------------------

/** A name written by the snapshot import, before any partner.updated, is the first fact. */
function partnerFactsOf(doc: ProfileDoc): ProfileFact<PartnerFacts>[] {
  if (doc.partnerFacts) return doc.partnerFacts;
  return doc.name !== undefined ? [{ eventId: 'import', at: doc.createdAt, fields: { name: doc.name } }] : [];
}

export function replayPartner(doc: ProfileDoc): void {
  const facts = doc.partnerFacts ?? [];
  if (!facts.length) {
    delete doc.partnerFacts;
    delete doc.locationIds;
    delete doc.partnerIdAliases;
    delete doc.name;
    return;
  }
  const v = merge(facts);
  for (const k of ['name', 'locationIds', 'partnerIdAliases'] as const) {
    if (v[k] === undefined) delete doc[k];
    else (doc as unknown as Record<string, unknown>)[k] = v[k];
  }
}

// --- customers -----------------------------------------------------------------------------------------------------

/** A customer written by the snapshot import has no facts: its values are the first fact, at the time it was written. */
function customerFacts(c: StoredCustomer): ProfileFact<CustomerFacts>[] {
  if (c.facts) return c.facts;
  const fields: CustomerFacts = { cloud: c.cloud, ...(c.name !== undefined ? { name: c.name } : {}), ...(c.segment ? { segment: c.segment } : {}) };
  return [{ eventId: c.lastEventId, at: c.updatedAt, fields }];
}

/** The customer as its facts say, or undefined when none is left. */
export function replayCustomer(tenantId: string, facts: ProfileFact<CustomerFacts>[]): StoredCustomer | undefined {
  if (!facts.length) return undefined;
  const v = merge(facts);
  const last = newest(facts);
  return { tenantId, ...(v.name !== undefined ? { name: v.name } : {}), ...(v.segment ? { segment: v.segment } : {}), cloud: v.cloud ?? 'commercial', facts, updatedAt: last.at, lastEventId: last.eventId };
}

// --- designations --------------------------------------------------------------------------------------------------

/** The enrolment the facts leave in place: enrolled sets it, renewed moves its anniversary, lost ends it. */
function enrollmentOf(area: AreaId, facts: readonly ProfileFact<DesignationFact>[]): Enrollment | undefined {
  let current: Enrollment | undefined;
  for (const { fields: f } of facts) {
    if (f.kind === 'lost') current = undefined;
    // A renewal with no enrolment before it (sent without the enrolment, or the enrolment's fact dropped) dates it from the renewal.
    else current = { area, enrolledOn: f.kind === 'enrolled' ? f.on : (current?.enrolledOn ?? f.on), anniversaryDate: f.anniversaryDate! };
  }
  return current;
}

/** Rebuilds profile.enrollments for one area from its record (none left: no enrolment). Areas without events keep what the snapshot import wrote. */
export function replayDesignation(doc: ProfileDoc, area: AreaId): void {
  const rec = doc.designations?.[area];
  const others = doc.enrollments.filter((e) => e.area !== area);
  const e = rec ? enrollmentOf(area, rec.facts) : undefined;
  doc.enrollments = e ? [...others, e].sort((a, b) => (a.area < b.area ? -1 : 1)) : others;
}

// --- tracks --------------------------------------------------------------------------------------------------------

export function replayTrack(doc: ProfileDoc, area: AreaId): void {
  const rec = doc.trackClassifications?.[area];
  const last = rec ? newest(rec.facts) : undefined;
  const overrides = { ...(doc.trackOverrides ?? {}) };
  const on = { ...(doc.trackClassifiedOn ?? {}) };
  if (last?.fields.track) {
    overrides[area] = last.fields.track;
    // Partner Center repeating the same track does not move the day it started showing it.
    let since = rec!.facts.length - 1;
    while (since > 0 && rec!.facts[since - 1]!.fields.track === last.fields.track) since--;
    on[area] = utcDate(rec!.facts[since]!.at);
  } else if (rec) {
    // The last word was "no track": the engine reads the track itself again. An area without a record keeps an imported override.
    delete overrides[area];
    delete on[area];
  }
  if (Object.keys(overrides).length) doc.trackOverrides = overrides;
  else delete doc.trackOverrides;
  if (Object.keys(on).length) doc.trackClassifiedOn = on;
  else delete doc.trackClassifiedOn;
}

// --- applying ------------------------------------------------------------------------------------------------------

type RecordRef =
  | { kind: 'partner'; label: string }
  | { kind: 'customer'; label: string; tenantId: string; fields: CustomerFacts }
  | { kind: 'designation'; label: string; area: AreaId; fields: DesignationFact }
  | { kind: 'track'; label: string; area: AreaId; fields: { track: Track | null } };

function recordOf(e: ProfileEvent | CustomerEvent): RecordRef {
  switch (e.type) {
    case 'partner.updated':
      return { kind: 'partner', label: `partner ${e.partnerId}` };
    case 'customer.updated': {
      const { tenantId, ...rest } = e.data;
      const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as CustomerFacts;
      return { kind: 'customer', label: `customer ${tenantId}`, tenantId, fields };
    }
    case 'designation.enrolled':
      return { kind: 'designation', label: `designation ${e.data.area}`, area: e.data.area, fields: { kind: 'enrolled', on: e.data.enrolledOn, anniversaryDate: e.data.anniversaryDate } };
    case 'designation.renewed':
      return { kind: 'designation', label: `designation ${e.data.area}`, area: e.data.area, fields: { kind: 'renewed', on: e.data.renewedOn, anniversaryDate: e.data.anniversaryDate } };
    case 'designation.lost':
      return { kind: 'designation', label: `designation ${e.data.area}`, area: e.data.area, fields: { kind: 'lost', on: e.data.lostOn } };
    case 'track.classified':
      return { kind: 'track', label: `track of ${e.data.area}`, area: e.data.area, fields: { track: e.data.track } };
    case 'track.unclassified':
      return { kind: 'track', label: `track of ${e.data.area}`, area: e.data.area, fields: { track: null } };
  }
}

// Customer records are only ever looked up in a customers document, the others only in the profile: the routing in
// shared/deliveries/process.ts gives each reducer only its own events.
const customerIn = (doc: FactDoc, tenantId: string, legacy: LegacyCustomers) => (doc as CustomersDoc).customers[tenantId] ?? legacy?.[tenantId];

/** The facts of the record an event is about, as stored (empty when there is no record yet). */
function factsOf(d: FactDoc, r: RecordRef, legacy: LegacyCustomers): readonly ProfileFact<unknown>[] {
  const doc = d as ProfileDoc;
  switch (r.kind) {
    case 'partner':
      return partnerFactsOf(doc);
    case 'customer': {
      const c = customerIn(d, r.tenantId, legacy);
      return c ? customerFacts(c) : [];
    }
    case 'designation':
      return doc.designations?.[r.area]?.facts ?? [];
    case 'track':
      return doc.trackClassifications?.[r.area]?.facts ?? [];
  }
}

/** What the record looks like to the engine and the API, to tell whether an older event still changed it. */
function visible(d: FactDoc, r: RecordRef, legacy: LegacyCustomers): string {
  const doc = d as ProfileDoc;
  switch (r.kind) {
    case 'partner':
      return JSON.stringify([doc.name, doc.locationIds, doc.partnerIdAliases]);
    case 'customer': {
      const c = customerIn(d, r.tenantId, legacy);
      return JSON.stringify(c ? [c.name, c.segment, c.cloud] : null);
    }
    case 'designation':
      return JSON.stringify(doc.enrollments.find((e) => e.area === r.area) ?? null);
    case 'track':
      return JSON.stringify([doc.trackOverrides?.[r.area], doc.trackClassifiedOn?.[r.area]]);
  }
}

function store(d: FactDoc, r: RecordRef, e: ProfileEvent | CustomerEvent, legacy: LegacyCustomers): void {
  const fact = { eventId: e.id, at: e.occurredAt };
  const doc = d as ProfileDoc;
  switch (r.kind) {
    case 'partner': {
      const fields: PartnerFacts = Object.fromEntries(Object.entries(e.data).filter(([, v]) => v !== undefined));
      doc.partnerFacts = withFact(partnerFactsOf(doc), { ...fact, fields });
      return replayPartner(doc);
    }
    case 'customer': {
      const existing = customerIn(d, r.tenantId, legacy);
      (d as CustomersDoc).customers[r.tenantId] = replayCustomer(r.tenantId, withFact(existing ? customerFacts(existing) : [], { ...fact, fields: r.fields }))!;
      return;
    }
    case 'designation': {
      const facts = withFact(doc.designations?.[r.area]?.facts, { ...fact, fields: r.fields });
      const last = newest(facts);
      doc.designations = { ...(doc.designations ?? {}), [r.area]: { facts, updatedAt: last.at, lastEventId: last.eventId } satisfies DesignationRecord };
      return replayDesignation(doc, r.area);
    }
    case 'track': {
      const facts = withFact(doc.trackClassifications?.[r.area]?.facts, { ...fact, fields: r.fields });
      const last = newest(facts);
      doc.trackClassifications = { ...(doc.trackClassifications ?? {}), [r.area]: { facts, updatedAt: last.at, lastEventId: last.eventId } satisfies TrackClassificationRecord };
      return replayTrack(doc, r.area);
    }
  }
}

function applyFactEvents(doc: FactDoc, events: readonly (ProfileEvent | CustomerEvent)[], legacy: LegacyCustomers): EventOutcome[] {
  return chronological(events).map((e) => {
    const gone = retractedReason(doc, e.id);
    if (gone) return outcome(e, 'refused', gone);
    const r = recordOf(e);
    const facts = factsOf(doc, r, legacy);
    if (facts.some((f) => f.eventId === e.id)) return outcome(e, 'unchanged', 'already applied');
    const before = visible(doc, r, legacy);
    store(doc, r, e, legacy);
    const after = factsOf(doc, r, legacy);
    const last = after[after.length - 1];
    if (!after.some((f) => f.eventId === e.id)) return outcome(e, 'older', `${r.label} keeps its newest ${MAX_PROFILE_FACTS} events and this one is older than all of them`);
    if (last?.eventId === e.id || visible(doc, r, legacy) !== before) return outcome(e, 'applied');
    return outcome(e, 'older', `${r.label} already reflects a newer event (${last!.eventId} at ${last!.at}); recorded in its history`);
  });
}

export function applyProfileEvents(doc: ProfileDoc, events: readonly ProfileEvent[]): EventOutcome[] {
  return applyFactEvents(doc, events, undefined);
}

/**
 * customer.updated on the shard's document; a tenant the shard does not hold yet starts from the record a profile
 * written before the shards held (`legacy`), so no segment, cloud or name it had is lost.
 */
export function applyCustomerEvents(doc: CustomersDoc, events: readonly CustomerEvent[], legacy?: LegacyCustomers): EventOutcome[] {
  return applyFactEvents(doc, events, legacy);
}

/** Removes an event's fact from the customer record that holds it and replays the record; false when none does. */
function removeCustomerFactFrom(customers: Record<string, StoredCustomer>, eventId: string): boolean {
  for (const [tenantId, c] of Object.entries(customers)) {
    if (!c.facts?.some((f) => f.eventId === eventId)) continue;
    const rebuilt = replayCustomer(tenantId, c.facts.filter((f) => f.eventId !== eventId));
    if (rebuilt) customers[tenantId] = rebuilt;
    else delete customers[tenantId];
    return true;
  }
  return false;
}

export function removeCustomerFact(doc: CustomersDoc, eventId: string): boolean {
  return removeCustomerFactFrom(doc.customers, eventId);
}

/**
 * The per-area records (designations, track classifications) without an event's fact: the area that held it, the
 * records left (undefined when none is), and whether that area's record is left; undefined when no area holds it.
 */
function withoutFact<F>(records: Partial<Record<AreaId, Versioned & { facts: ProfileFact<F>[] }>> | undefined, eventId: string) {
  for (const [area, rec] of Object.entries(records ?? {}) as [AreaId, Versioned & { facts: ProfileFact<F>[] }][]) {
    if (!rec.facts.some((f) => f.eventId === eventId)) continue;
    const facts = rec.facts.filter((f) => f.eventId !== eventId);
    const next = { ...records };
    if (facts.length) next[area] = { facts, updatedAt: newest(facts).at, lastEventId: newest(facts).eventId };
    else delete next[area];
    return { area, records: Object.keys(next).length ? next : undefined, left: facts.length > 0 };
  }
  return undefined;
}

/** Removes an event's fact from whichever profile record holds it and replays that record; false when none does. */
export function removeProfileFact(doc: ProfileDoc, eventId: string): boolean {
  const holds = (facts: readonly ProfileFact<unknown>[] | undefined) => !!facts?.some((f) => f.eventId === eventId);
  const drop = <F>(facts: ProfileFact<F>[]) => facts.filter((f) => f.eventId !== eventId);
  if (holds(doc.partnerFacts)) {
    doc.partnerFacts = drop(doc.partnerFacts!);
    replayPartner(doc);
    return true;
  }
  if (doc.customers && removeCustomerFactFrom(doc.customers, eventId)) return true;
  const designation = withoutFact(doc.designations, eventId);
  if (designation) {
    if (designation.records) doc.designations = designation.records as ProfileDoc['designations'];
    else delete doc.designations;
    replayDesignation(doc, designation.area);
    return true;
  }
  const track = withoutFact(doc.trackClassifications, eventId);
  if (track) {
    if (track.records) doc.trackClassifications = track.records as ProfileDoc['trackClassifications'];
    else delete doc.trackClassifications;
    // With the record gone, replayTrack would keep the override: clear what the record had set.
    if (!track.left) {
      if (doc.trackOverrides) delete doc.trackOverrides[track.area];
      if (doc.trackClassifiedOn) delete doc.trackClassifiedOn[track.area];
      if (doc.trackOverrides && !Object.keys(doc.trackOverrides).length) delete doc.trackOverrides;
      if (doc.trackClassifiedOn && !Object.keys(doc.trackClassifiedOn).length) delete doc.trackClassifiedOn;
    } else replayTrack(doc, track.area);
    return true;
  }
  return false;
}
