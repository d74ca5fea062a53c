import type { Container } from '@azure/cosmos';
import { RequestCharges } from '../store/request-charges';
import { getSettings } from '../config/settings';
import { partnerSnapshotSchema, type PartnerSnapshot } from '../scoring/snapshot';
import { getContainer } from '../store/cosmos';
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

export function partnersContainer(): Container {
  return getContainer(getSettings(), 'partners');
}

function statusOf(e: unknown): number | undefined {
  const err = e as { code?: unknown; statusCode?: unknown };
  const code = typeof err.code === 'number' ? err.code : typeof err.statusCode === 'number' ? err.statusCode : undefined;
  return code;
}

export async function readStateDoc<T extends StateDoc>(partnerId: string, id: string, charges?: RequestCharges): Promise<T | undefined> {
  const res = await partnersContainer().item(id, partnerId).read<T>();
  charges?.add('read', res.requestCharge);
  return res.statusCode === 404 ? undefined : (res.resource as T | undefined);
}

export class ConcurrencyExhaustedError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Read-modify-write of one state document with optimistic concurrency: the write carries the etag
 * it read, and on a conflict (412, or 409 when two writers create it) it re-reads and re-applies.
 * `mutate` returns false when there is nothing to change, so no write happens; it must be
 * idempotent, because it may run several times.
 */
export async function updateStateDoc<T extends StateDoc>(
  partnerId: string,
  id: string,
  init: () => T,
  mutate: (doc: T) => boolean,
  opts: { charges?: RequestCharges; maxAttempts?: number } = {},
): Promise<{ doc: T; changed: boolean }> {
  const container = partnersContainer();
  const maxAttempts = opts.maxAttempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    const current = await readStateDoc<T>(partnerId, id, opts.charges);
    const doc: T = current ? structuredClone(current) : init();
    if (!mutate(doc)) return { doc: current ?? doc, changed: false };
    try {
      if (current?._etag) {
        const res = await container.item(id, partnerId).replace(doc, { accessCondition: { type: 'IfMatch', condition: current._etag } });
        opts.charges?.add('write', res.requestCharge);
        return { doc: res.resource as T, changed: true };
      }
      const res = await container.items.create(doc);
      opts.charges?.add('write', res.requestCharge);
      return { doc: res.resource as T, changed: true };
    } catch (e) {
      const status = statusOf(e);
      if ((status === 412 || status === 409) && attempt < maxAttempts) {
        // Jitter spreads writers that collided so they do not collide again in lockstep.
        await sleep(Math.min(200, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
        continue;
      }
      if (status === 412 || status === 409) throw new ConcurrencyExhaustedError(`Gave up on ${partnerId}/${id} after ${attempt} conflicting writes.`);
      throw e;
    }
  }
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
    enrollments: profile.enrollments,
    customers: Object.values(profile.customers).map((c) => strip(c, ['updatedAt', 'lastEventId'])),
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
    telemetry: state.telemetry.flatMap((t) => Object.values(t.rows).map((r) => strip(r, ['updatedAt', 'lastEventId']))),
  });
}

export async function loadPartnerSnapshot(partnerId: string, charges?: RequestCharges): Promise<PartnerSnapshot | undefined> {
  const state = await loadPartnerState(partnerId, charges);
  return state ? toSnapshot(state) : undefined;
}

/** Pages through every partner id (cross-partition; used by the nightly fan-outs only). */
export async function listPartnerIds(opts: { pageSize?: number; continuationToken?: string } = {}): Promise<{ ids: string[]; continuationToken?: string }> {
  const iterator = partnersContainer().items.query<{ partnerId: string }>(
    { query: 'SELECT c.partnerId FROM c WHERE c.type = @type', parameters: [{ name: '@type', value: 'profile' }] },
    { maxItemCount: opts.pageSize ?? 100, continuationToken: opts.continuationToken },
  );
  const page = await iterator.fetchNext();
  return { ids: page.resources.map((r) => r.partnerId), continuationToken: page.continuationToken };
}
