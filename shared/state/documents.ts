import { createHash } from 'node:crypto';
import type { Association, CertificationHolding, Customer, Enrollment, TelemetryRow, Track, AreaId } from '../scoring/snapshot';

/**
 * How a partner's state is stored in the `partners` container (partition key /partnerId).
 *
 * A partner's state lives in a few aggregate documents with fixed ids (see docs/decisions/002-partner-state-documents.md):
 * loading a partner for scoring is a handful of point reads instead of a query, and one delivery of
 * many events becomes one etag-guarded replace per document it touches.
 */
export const STATE_SCHEMA_VERSION = 1;

export const DOC_IDS = {
  profile: 'profile',
  associations: 'associations',
  professionals: 'professionals',
  telemetry: (month: string) => `telemetry:${month}`,
  customers: (shard: string) => `customers:${shard}`,
} as const;

/**
 * Customer tenants live in CUSTOMER_SHARDS documents, picked by a hash of the tenant id, not in the profile: with
 * the facts each keeps (up to MAX_PROFILE_FACTS) a CSP partner's thousands of customers would pass Cosmos DB's 2 MB
 * item limit in one document (about 3.4 KB per customer at full history: 2,000 of them made a 6.7 MB profile). Eight
 * shards hold about 4,500 customers at full history, many more at the one or two facts most carry; more shards
 * would cost every partner's load a point read per shard (a 20-tenant partner touches about 7 of 8, 12 of 16).
 */
export const CUSTOMER_SHARDS = 8;

/** The shard (one digit) a tenant's customer record lives in; stable for a tenant id. */
export function customerShardOf(tenantId: string): string {
  return (createHash('sha256').update(tenantId).digest()[0]! % CUSTOMER_SHARDS).toString(16);
}

interface BaseDoc {
  id: string;
  partnerId: string;
  schemaVersion: typeof STATE_SCHEMA_VERSION;
  _etag?: string;
}

/** When a record last changed, so an older event arriving late never overwrites newer state. */
export interface Versioned {
  /** occurredAt of the event that last changed the record (ISO timestamp). */
  updatedAt: string;
  /** id of that event; breaks ties between events with the same occurredAt. */
  lastEventId: string;
}

/**
 * One profile event as recorded (partner.updated, customer.updated, designation.*, track.*): what it stated, so the
 * record's current values are a replay of its facts in time order, whatever order they arrived in, and a retraction
 * replays the record without the withdrawn one.
 */
export interface ProfileFact<F> {
  eventId: string;
  /** occurredAt of the event. */
  at: string;
  fields: F;
}

/** Facts kept per record; beyond this the oldest are dropped (their values live on in the record until overridden). */
export const MAX_PROFILE_FACTS = 24;

export type CustomerFacts = Partial<Pick<Customer, 'name' | 'segment' | 'cloud'>>;
export interface StoredCustomer extends Customer, Versioned {
  /** customer.updated events of this tenant; absent for customers written by the snapshot import. */
  facts?: ProfileFact<CustomerFacts>[];
}

export interface PartnerFacts {
  name?: string;
  locationIds?: string[];
  partnerIdAliases?: string[];
}

export interface DesignationFact {
  kind: 'enrolled' | 'renewed' | 'lost';
  /** enrolledOn, renewedOn or lostOn of the event. */
  on: string;
  anniversaryDate?: string;
}
/** designation.enrolled / renewed / lost of one solution area; profile.enrollments holds their replay. */
export interface DesignationRecord extends Versioned {
  facts: ProfileFact<DesignationFact>[];
}
/** track.classified / track.unclassified of one area; profile.trackOverrides and trackClassifiedOn hold their replay. */
export interface TrackClassificationRecord extends Versioned {
  facts: ProfileFact<{ track: Track | null }>[];
}

/** An event withdrawn by an `event.retracted`: kept so that a late or repeated delivery of it is refused, not applied again. */
export interface Retraction {
  /** Id of the `event.retracted` event. */
  by: string;
  /** occurredAt of the retraction. */
  at: string;
  reason?: string;
}

/** Events retracted from a document, by event id. */
export type Retractions = Record<string, Retraction>;

export interface ProfileDoc extends BaseDoc {
  type: 'profile';
  name?: string;
  /** PartnerIDs of the partner's Partner Center location accounts (partner.updated). */
  locationIds?: string[];
  /** Other PartnerIDs (formerly MPN ids) the partner is known by (partner.updated). */
  partnerIdAliases?: string[];
  /** partner.updated events; name, locationIds and partnerIdAliases are their replay. */
  partnerFacts?: ProfileFact<PartnerFacts>[];
  enrollments: Enrollment[];
  designations?: Partial<Record<AreaId, DesignationRecord>>;
  trackOverrides?: Partial<Record<AreaId, Track>>;
  /** The day Partner Center showed each override (track.classified), for the engine's explanation. */
  trackClassifiedOn?: Partial<Record<AreaId, string>>;
  trackClassifications?: Partial<Record<AreaId, TrackClassificationRecord>>;
  /**
   * Customer tenants as profiles written before customers moved to their own documents held them: read beneath
   * the shards (a shard's record of a tenant wins), and the first customer.updated of such a tenant starts from it.
   */
  customers?: Record<string, StoredCustomer>;
  /** Shards (customerShardOf) for which a customers document exists, so loading needs no query. */
  customerShards?: string[];
  retracted?: Retractions;
  /** Months for which a telemetry document exists (YYYY-MM), so loading needs no query. */
  telemetryMonths: string[];
  /** Where alerts are POSTed (signed), if the partner configured it. */
  notificationUrl?: string;
  /** Increases on every change of the partner's state. */
  stateVersion: number;
  /**
   * The partner's recompute marker (shared/recompute/request.ts), guarded by this document's etag like every change:
   * set when a recompute message was sent and no worker has claimed it yet; further changes do not enqueue another.
   */
  recomputePendingSince?: string;
  /** Which call set the pending flag (a token), so an attempt whose answer was lost recognises its own flag. */
  recomputePendingBy?: string;
  /** Set by the worker that claimed the recompute, while it runs: changes then ask for a follow-up instead. */
  recomputeRunning?: { token: string; since: string };
  /** A change arrived while the recompute ran: its worker sends exactly one follow-up when it ends. */
  recomputeFollowUp?: true;
  createdAt: string;
  updatedAt: string;
}

/** CPOR claim lifecycle (reference §10) plus the simpler states of PAL, DPOR and CSP. */
export const LIFECYCLE_STATES = ['submitted', 'pending-customer', 'approved', 'rejected', 'disputed', 'declined', 'disassociated', 'linked', 'unlinked', 'attached', 'detached', 'active', 'ended'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export interface StoredAssociation extends Association, Versioned {
  lifecycle: LifecycleState;
  /** Free-form identifying details kept for explanations and audits (PAL object id and scope, DPOR workload family...). */
  details?: Record<string, string>;
  /**
   * Every event seen for the association, in the order they happened. The current state is a replay of
   * this history, so events arriving in any order give the same state; `refused` marks events the
   * lifecycle does not allow at their place in it.
   */
  history: { state: LifecycleState; at: string; eventId: string; refused?: string; note?: string; v?: string }[];
  /** Descriptive fields as each event stated them, keyed by a short hash that history entries refer to (`v`): the newest event in effect decides them. */
  variants?: Record<string, { fields: Partial<Pick<Association, 'tenantId' | 'subscriptionId' | 'workloads' | 'solutionArea' | 'role' | 'cspTier'>>; details: Record<string, string> }>;
}

export interface AssociationsDoc extends BaseDoc {
  type: 'associations';
  items: Record<string, StoredAssociation>;
  retracted?: Retractions;
}

export interface StoredCertification extends CertificationHolding {
  /** Where the record came from (webhook source, learn transcript, import file). */
  source?: string;
  /** Expired, removed or no longer on the transcript: kept for history, ignored by scoring. */
  removed?: boolean;
  /** Why it was marked removed (expired, no longer reported by its source). */
  removedReason?: 'expired' | 'removed';
  /** The person's credential number as the source reports it (Learn "certification number"). */
  credentialNumber?: string;
  updatedAt: string;
  /** Set by webhook events: occurredAt and id of the newest event that changed the record, and of the newest `earned` event. */
  webhook?: { at: string; eventId: string; earnedAt?: string; earnedEventId?: string };
  /** earnedOn is a year before the earliest renewal or expiry heard of, until an `earned` event says the date. */
  provisionalEarnedOn?: true;
  /**
   * The webhook events received for the record, with their source: what a retraction replays the record from.
   * The Learn sync and imports change records without events, so a record one of them touched is not replayed.
   */
  events?: { id: string; type: 'certification.earned' | 'certification.renewed' | 'certification.expired'; at: string; source: string; data: Record<string, string> }[];
}

export interface StoredProfessional extends Versioned {
  id: string;
  learnProfileId?: string;
  name?: string;
  email?: string;
  linked: boolean;
  linkedOn?: string;
  unlinkedOn?: string;
  /** Dates of every link to this partner, to enforce the program's limits (3 a year, 30 days apart). */
  linkHistory: string[];
  /** Link and unlink events seen (webhooks), in the order they happened; linked/linkedOn/unlinkedOn/linkHistory are a replay of them. */
  linkEvents?: { linked: boolean; at: string; eventId: string; refused?: string; contact?: { name?: string; email?: string } }[];
  /** occurredAt of the event that last set name or email. */
  contactAt?: string;
  /** Public Microsoft Learn transcript share link registered for the certification sync. */
  transcriptUrl?: string;
  certifications: Record<string, StoredCertification>;
  /** Outcome of the last certification sync of this person. */
  sync?: { at: string; status: 'ok' | 'stale' | 'not-found' | 'error'; reason?: string };
}

/** Where the certification sync reads a partner's certifications from (see docs/cert-sync.md). */
export interface CertSourceConfig {
  /** Read each linked professional's registered Learn transcript share link (default true). */
  learn?: boolean;
  /** Path of an import file (CSV or JSON Lines) in the `cert-imports` blob container. */
  importBlob?: string;
}

export interface ProfessionalsDoc extends BaseDoc {
  type: 'professionals';
  items: Record<string, StoredProfessional>;
  certSources?: CertSourceConfig;
  retracted?: Retractions;
}

export interface StoredTelemetryRow extends TelemetryRow, Versioned {
  /**
   * The other reports received for the row (replaced by a newer one, or older when they arrived), so that
   * retracting the report in effect brings back the one before it. Not seen by scoring.
   */
  superseded?: (TelemetryRow & Versioned)[];
}

export interface TelemetryDoc extends BaseDoc {
  type: 'telemetry';
  month: string;
  /** Keyed by telemetryRowKey(): one row per tenant, workload, association type (and subscription). */
  rows: Record<string, StoredTelemetryRow>;
  retracted?: Retractions;
}

/** One shard of a partner's customer tenants (customer.updated), by tenant id. */
export interface CustomersDoc extends BaseDoc {
  type: 'customers';
  shard: string;
  customers: Record<string, StoredCustomer>;
  retracted?: Retractions;
}

export type StateDoc = ProfileDoc | AssociationsDoc | ProfessionalsDoc | TelemetryDoc | CustomersDoc;

export function telemetryRowKey(row: Pick<TelemetryRow, 'tenantId' | 'platform' | 'workload' | 'associationType' | 'subscriptionId'>): string {
  return [row.tenantId, row.platform, row.workload, row.associationType, row.subscriptionId ?? ''].join('|');
}

/** True when an event (occurredAt, id) is newer than what the record holds; equal times are ordered by event id. */
export function isNewer(record: Versioned | undefined, occurredAt: string, eventId: string): boolean {
  if (!record) return true;
  const a = Date.parse(occurredAt);
  const b = Date.parse(record.updatedAt);
  if (a !== b) return a > b;
  return eventId > record.lastEventId;
}

export function emptyProfile(partnerId: string, now: string): ProfileDoc {
  return { id: DOC_IDS.profile, partnerId, type: 'profile', schemaVersion: STATE_SCHEMA_VERSION, enrollments: [], telemetryMonths: [], stateVersion: 0, createdAt: now, updatedAt: now };
}
export function emptyAssociations(partnerId: string): AssociationsDoc {
  return { id: DOC_IDS.associations, partnerId, type: 'associations', schemaVersion: STATE_SCHEMA_VERSION, items: {} };
}
export function emptyProfessionals(partnerId: string): ProfessionalsDoc {
  return { id: DOC_IDS.professionals, partnerId, type: 'professionals', schemaVersion: STATE_SCHEMA_VERSION, items: {} };
}
export function emptyTelemetry(partnerId: string, month: string): TelemetryDoc {
  return { id: DOC_IDS.telemetry(month), partnerId, type: 'telemetry', schemaVersion: STATE_SCHEMA_VERSION, month, rows: {} };
}
export function emptyCustomers(partnerId: string, shard: string): CustomersDoc {
  return { id: DOC_IDS.customers(shard), partnerId, type: 'customers', schemaVersion: STATE_SCHEMA_VERSION, shard, customers: {} };
}
