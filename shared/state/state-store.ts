import type { Container } from '@azure/cosmos';
import type { RequestCharges } from '../store/request-charges';
import { getSettings } from '../config/settings';
import { SNAPSHOT_SCHEMA_VERSION, type Association, type CertificationHolding, type Customer, type PartnerSnapshot, type Professional, type TelemetryRow } from '../scoring/snapshot';
import { getContainer } from '../store/cosmos';
import { queryPage, readDocument, updateDocument } from '../store/documents';
import { ConcurrencyExhaustedError } from '../store/optimistic-update';
import {
  DOC_IDS,
  emptyAssociations,
  emptyProfessionals,
  emptyProfile,
  emptyTelemetry,
  type AssociationsDoc,
  type CustomersDoc,
  type ProfessionalsDoc,
  type ProfileDoc,
  type StateDoc,
  type StoredAssociation,
  type StoredCertification,
  type StoredCustomer,
  type StoredProfessional,
  type StoredTelemetryRow,
  type TelemetryDoc,
} from './documents';

/** The `partners` container itself, for the queries of other folders; documents are read and written through shared/store/documents. */
export function partnersContainer(): Container {
  return getContainer(getSettings(), 'partners');
}

export async function readStateDoc<T extends StateDoc>(partnerId: string, id: string, charges?: RequestCharges): Promise<T | undefined> {
  return readDocument<T>('partners', partnerId, id, charges);
}

export { ConcurrencyExhaustedError };

/**
 * Read-modify-write of one state document with optimistic concurrency (shared/store/optimistic-update.ts).
 * `mutate` returns false when there is nothing to change, so no write happens; it must be idempotent,
 * because it may run several times.
 */
export function updateStateDoc<T extends StateDoc>(
  partnerId: string,
  id: string,
  init: () => T,
  mutate: (doc: T) => boolean,
  opts: { charges?: RequestCharges; maxAttempts?: number } = {},
): Promise<{ doc: T; changed: boolean }> {
  return updateDocument<T>('partners', partnerId, id, init, mutate, opts);
}

export const initProfile = (partnerId: string) => () => emptyProfile(partnerId, new Date().toISOString());
export const initAssociations = (partnerId: string) => () => emptyAssociations(partnerId);
export const initProfessionals = (partnerId: string) => () => emptyProfessionals(partnerId);
export const initTelemetry = (partnerId: string, month: string) => () => emptyTelemetry(partnerId, month);

export interface LoadedState {
  profile: ProfileDoc;
  associations: AssociationsDoc;
  professionals: ProfessionalsDoc;
  telemetry: TelemetryDoc[];
  /** The customers shards the profile lists (absent: none). */
  customers?: CustomersDoc[];
}

/** Loads a partner's whole state with point reads; undefined when the partner is unknown. */
export async function loadPartnerState(partnerId: string, charges?: RequestCharges, known?: { profile: ProfileDoc }): Promise<LoadedState | undefined> {
  // A caller that has just read (or written) the profile passes it: the rest is read after it all the same.
  const profile = known?.profile ?? (await readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, charges));
  if (!profile) return undefined;
  const shards = profile.customerShards ?? [];
  const [associations, professionals, customers, telemetry] = await Promise.all([
    readStateDoc<AssociationsDoc>(partnerId, DOC_IDS.associations, charges),
    readStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals, charges),
    Promise.all(shards.map((x) => readStateDoc<CustomersDoc>(partnerId, DOC_IDS.customers(x), charges))),
    Promise.all(profile.telemetryMonths.map((m) => readStateDoc<TelemetryDoc>(partnerId, DOC_IDS.telemetry(m), charges))),
  ]);
  return {
    profile,
    associations: associations ?? emptyAssociations(partnerId),
    professionals: professionals ?? emptyProfessionals(partnerId),
    telemetry: telemetry.filter((t): t is TelemetryDoc => t !== undefined),
    customers: customers.filter((c): c is CustomersDoc => c !== undefined),
  };
}

/**
 * Every customer tenant of a partner: the shards' records, over those a profile written before the shards held
 * (a shard's record of a tenant is the newer one), in tenant id order.
 */
export function customersOf(profile: ProfileDoc, shards: readonly CustomersDoc[] | undefined): StoredCustomer[] {
  const all = new Map<string, StoredCustomer>(Object.entries(profile.customers ?? {}));
  for (const doc of shards ?? []) for (const [tenantId, c] of Object.entries(doc.customers)) all.set(tenantId, c);
  // In tenant order: which shard a tenant hashes to must not change the order the engine and the API list them in.
  return [...all.values()].sort((a, b) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0));
}

/*
 * Stored state -> the engine's snapshot, field by field. Every event was validated by its zod schema when it was
 * received, and the reducers store only what those schemas produced, so the recompute does not validate again
 * (partnerSnapshotSchema.parse cost several times the scoring itself on a large partner, issue 16). The mapping
 * picks exactly the snapshot's fields and fills its defaults for documents written before a default existed;
 * test/state/to-snapshot.test.ts checks, over generated documents, that it equals what the schema's parse yields.
 */

const customerOf = (c: StoredCustomer): Customer => ({ tenantId: c.tenantId, name: c.name, segment: c.segment, cloud: c.cloud ?? 'commercial' });

const associationOf = (a: StoredAssociation): Association => ({
  id: a.id,
  type: a.type,
  tenantId: a.tenantId,
  subscriptionId: a.subscriptionId,
  workloads: a.workloads ? [...a.workloads] : undefined,
  solutionArea: a.solutionArea,
  role: a.role,
  cspTier: a.cspTier,
  status: a.status ?? 'active',
  startDate: a.startDate,
  endDate: a.endDate,
  earlierPeriods: a.earlierPeriods?.map((p) => ({ startDate: p.startDate, endDate: p.endDate })),
});

const certificationOf = (c: StoredCertification): CertificationHolding => ({
  certificationId: c.certificationId,
  earnedOn: c.earnedOn,
  expiresOn: c.expiresOn,
  renewals: c.renewals?.map((r) => ({ renewedOn: r.renewedOn, expiresOn: r.expiresOn })),
});

const professionalOf = (p: StoredProfessional): Professional => ({
  id: p.id,
  learnProfileId: p.learnProfileId,
  name: p.name,
  linked: p.linked,
  linkedOn: p.linkedOn,
  unlinkedOn: p.unlinkedOn,
  certifications: Object.values(p.certifications ?? {}).filter((c) => !c.removed).map(certificationOf),
});

const telemetryRowOf = (r: StoredTelemetryRow): TelemetryRow => ({
  tenantId: r.tenantId,
  month: r.month,
  platform: r.platform,
  workload: r.workload,
  associationType: r.associationType,
  subscriptionId: r.subscriptionId,
  offer: r.offer ?? 'standard',
  acrUsd: r.acrUsd,
  revenueUsd: r.revenueUsd,
  paidSeats: r.paidSeats,
  activeUsers: r.activeUsers,
  mcvUnits: r.mcvUnits,
  protectedUsers: r.protectedUsers,
});

/** Turns stored state into the engine's snapshot (the engine never sees storage details). */
export function toSnapshot(state: LoadedState): PartnerSnapshot {
  const { profile } = state;
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    partnerId: profile.partnerId,
    name: profile.name,
    trackOverrides: profile.trackOverrides ? { ...profile.trackOverrides } : undefined,
    trackClassifiedOn: profile.trackClassifiedOn ? { ...profile.trackClassifiedOn } : undefined,
    enrollments: (profile.enrollments ?? []).map((e) => ({ area: e.area, enrolledOn: e.enrolledOn, anniversaryDate: e.anniversaryDate })),
    customers: customersOf(profile, state.customers).map(customerOf),
    associations: Object.values(state.associations.items).map(associationOf),
    professionals: Object.values(state.professionals.items).map(professionalOf),
    telemetry: state.telemetry.flatMap((t) => Object.values(t.rows).map(telemetryRowOf)),
  };
}

export async function loadPartnerSnapshot(partnerId: string, charges?: RequestCharges): Promise<PartnerSnapshot | undefined> {
  const state = await loadPartnerState(partnerId, charges);
  return state ? toSnapshot(state) : undefined;
}

/** Pages through every partner id (cross-partition; used by the nightly fan-outs only). */
export async function listPartnerIds(opts: { pageSize?: number; continuationToken?: string } = {}): Promise<{ ids: string[]; continuationToken?: string }> {
  const page = await queryPage<{ partnerId: string }>(
    'partners',
    { query: 'SELECT c.partnerId FROM c WHERE c.type = @type', parameters: [{ name: '@type', value: 'profile' }] },
    { maxItemCount: opts.pageSize ?? 100, continuationToken: opts.continuationToken },
  );
  return { ids: page.items.map((r) => r.partnerId), continuationToken: page.continuationToken };
}
