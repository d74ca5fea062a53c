import type { Container } from '@azure/cosmos';
import type { RequestCharges } from '../store/request-charges';
import { getSettings } from '../config/settings';
import { partnerSnapshotSchema, type PartnerSnapshot } from '../scoring/snapshot';
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
  type ProfessionalsDoc,
  type ProfileDoc,
  type StateDoc,
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
}

/** Loads a partner's whole state with point reads; undefined when the partner is unknown. */
export async function loadPartnerState(partnerId: string, charges?: RequestCharges): Promise<LoadedState | undefined> {
  const profile = await readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile, charges);
  if (!profile) return undefined;
  const [associations, professionals, ...telemetry] = await Promise.all([
    readStateDoc<AssociationsDoc>(partnerId, DOC_IDS.associations, charges),
    readStateDoc<ProfessionalsDoc>(partnerId, DOC_IDS.professionals, charges),
    ...profile.telemetryMonths.map((m) => readStateDoc<TelemetryDoc>(partnerId, DOC_IDS.telemetry(m), charges)),
  ]);
  return {
    profile,
    associations: (associations as AssociationsDoc | undefined) ?? emptyAssociations(partnerId),
    professionals: (professionals as ProfessionalsDoc | undefined) ?? emptyProfessionals(partnerId),
    telemetry: telemetry.filter((t): t is TelemetryDoc => t !== undefined),
  };
}

/** Turns stored state into the engine's snapshot (the engine never sees storage details). */
export function toSnapshot(state: LoadedState): PartnerSnapshot {
  const { profile } = state;
  const strip = <T extends object>(o: T, keys: string[]): T => {
    const copy = { ...o } as Record<string, unknown>;
    for (const k of keys) delete copy[k];
    return copy as T;
  };
  return partnerSnapshotSchema.parse({
    partnerId: profile.partnerId,
    name: profile.name,
    trackOverrides: profile.trackOverrides,
    trackClassifiedOn: profile.trackClassifiedOn,
    enrollments: profile.enrollments,
    customers: Object.values(profile.customers).map((c) => strip(c, ['updatedAt', 'lastEventId', 'facts'])),
    associations: Object.values(state.associations.items).map((a) => strip(a, ['updatedAt', 'lastEventId', 'lifecycle', 'details', 'history'])),
    professionals: Object.values(state.professionals.items).map((p) => ({
      id: p.id,
      learnProfileId: p.learnProfileId,
      name: p.name,
      linked: p.linked,
      linkedOn: p.linkedOn,
      unlinkedOn: p.unlinkedOn,
      certifications: Object.values(p.certifications)
        .filter((c) => !c.removed)
        .map((c) => strip(c, ['source', 'removed', 'updatedAt'])),
    })),
    telemetry: state.telemetry.flatMap((t) => Object.values(t.rows).map((r) => strip(r, ['updatedAt', 'lastEventId', 'superseded']))),
  });
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
