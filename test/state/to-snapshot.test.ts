import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AREAS, ASSOCIATION_STATUSES, ASSOCIATION_TYPES, CLOUDS, CPOR_ROLES, OFFER_TYPES, PLATFORMS, SEGMENTS, TRACKS, partnerSnapshotSchema } from '../../shared/scoring/snapshot';
import { emptyAssociations, emptyCustomers, emptyProfessionals, emptyProfile, emptyTelemetry, type StoredAssociation, type StoredCustomer, type StoredProfessional, type StoredTelemetryRow } from '../../shared/state/documents';
import { toSnapshot, type LoadedState } from '../../shared/state/state-store';

/**
 * The recompute builds the engine's snapshot with a typed mapping instead of partnerSnapshotSchema.parse (issue 16).
 * This holds it to the schema: for generated stored documents, with the storage-only fields the reducers keep
 * (event versions, lifecycle history, superseded rows, removed certifications), and with or without the fields
 * that have defaults, the mapping yields exactly what the schema's parse of the same records yields.
 */

const P = 'partner-1';
const day = fc.integer({ min: 0, max: 900 }).map((n) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const month = fc.integer({ min: 0, max: 30 }).map((n) => new Date(Date.UTC(2024, n, 1)).toISOString().slice(0, 7));
const name = fc.string({ minLength: 1, maxLength: 6 });
const versioned = { updatedAt: fc.constant('2026-01-02T03:04:05.000Z'), lastEventId: name };
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const customer = fc.record(
  { tenantId: name, name: name, segment: fc.constantFrom(...SEGMENTS), cloud: fc.constantFrom(...CLOUDS), ...versioned },
  { requiredKeys: ['tenantId', 'updatedAt', 'lastEventId'] },
);

const association = fc
  .record({
    id: name,
    type: fc.constantFrom(...ASSOCIATION_TYPES),
    tenantId: name,
    subscriptionId: opt(name),
    workloads: opt(fc.array(name, { maxLength: 3 })),
    solutionArea: opt(fc.constantFrom(...AREAS)),
    role: fc.constantFrom(...CPOR_ROLES),
    cspTier: opt(fc.constantFrom(1 as const, 2 as const)),
    status: opt(fc.constantFrom(...ASSOCIATION_STATUSES)),
    startDate: day,
    endDate: opt(day),
    ...versioned,
  })
  .map((a) => {
    // What the schema's refinements require: a role on CPOR claims only, an end on or after the start.
    const { role, endDate, ...rest } = a;
    const end = endDate && endDate >= a.startDate ? endDate : undefined;
    const stored = {
      ...rest,
      ...(a.type === 'CPOR' ? { role } : {}),
      ...(end ? { endDate: end } : {}),
      ...(end ? { earlierPeriods: [{ startDate: '2023-01-01', endDate: '2023-06-30' }] } : {}),
      lifecycle: 'approved',
      details: { note: 'kept for explanations' },
      history: [{ state: 'approved', at: '2026-01-02T03:04:05.000Z', eventId: 'e1' }],
    };
    return stored as unknown as StoredAssociation;
  });

const certification = fc.record(
  {
    certificationId: name,
    earnedOn: day,
    expiresOn: day,
    renewals: fc.array(fc.record({ renewedOn: day, expiresOn: opt(day) }), { maxLength: 2 }),
    source: name,
    removed: fc.boolean(),
    credentialNumber: name,
    updatedAt: fc.constant('2026-01-02T03:04:05.000Z'),
  },
  { requiredKeys: ['certificationId', 'earnedOn', 'updatedAt'] },
);

const professional = fc
  .record(
    { id: name, learnProfileId: name, name: name, email: name, linked: fc.boolean(), linkedOn: day, unlinkedOn: day, linkHistory: fc.array(day, { maxLength: 2 }), certifications: fc.array(certification, { maxLength: 3 }), ...versioned },
    { requiredKeys: ['id', 'linked', 'linkHistory', 'certifications', 'updatedAt', 'lastEventId'] },
  )
  .map((p) => ({ ...p, certifications: Object.fromEntries(p.certifications.map((c, i) => [`c${i}`, c])) }) as unknown as StoredProfessional);

const row = fc.record(
  {
    tenantId: name,
    month,
    platform: fc.constantFrom(...PLATFORMS),
    workload: name,
    associationType: fc.constantFrom(...ASSOCIATION_TYPES),
    subscriptionId: name,
    offer: fc.constantFrom(...OFFER_TYPES),
    acrUsd: fc.double({ min: 0, max: 1e6, noNaN: true }),
    revenueUsd: fc.double({ min: 0, max: 1e6, noNaN: true }),
    paidSeats: fc.nat(500),
    activeUsers: fc.nat(500),
    mcvUnits: fc.nat(500),
    protectedUsers: fc.nat(500),
    superseded: fc.constant([]),
    ...versioned,
  },
  { requiredKeys: ['tenantId', 'month', 'platform', 'workload', 'associationType', 'updatedAt', 'lastEventId'] },
) as fc.Arbitrary<StoredTelemetryRow>;

const state: fc.Arbitrary<LoadedState> = fc
  .record({
    name: opt(name),
    trackOverrides: opt(fc.dictionary(fc.constantFrom(...AREAS), fc.constantFrom(...TRACKS))),
    enrollments: fc.array(fc.record({ area: fc.constantFrom(...AREAS), enrolledOn: day, anniversaryDate: day }), { maxLength: 2 }),
    customers: fc.array(customer, { maxLength: 3 }),
    associations: fc.array(association, { maxLength: 4 }),
    professionals: fc.array(professional, { maxLength: 3 }),
    telemetry: fc.array(fc.array(row, { maxLength: 4 }), { maxLength: 2 }),
  })
  .map((g) => ({
    // Customers in both places they may be stored: the shards, and a profile written before the shards (t0 in both).
    profile: { ...emptyProfile(P, '2026-01-01T00:00:00.000Z'), ...(g.name ? { name: g.name } : {}), ...(g.trackOverrides ? { trackOverrides: g.trackOverrides } : {}), enrollments: g.enrollments, customers: Object.fromEntries(g.customers.filter((_, i) => i % 2 === 0).map((c, i) => [`t${i * 2}`, { ...(c as unknown as StoredCustomer), name: 'legacy' }])), stateVersion: 3 },
    customers: [{ ...emptyCustomers(P, '0'), customers: Object.fromEntries(g.customers.map((c, i) => [`t${i}`, c as unknown as StoredCustomer]).filter(([k]) => k !== 't2')) }, { ...emptyCustomers(P, '1'), customers: Object.fromEntries(g.customers.map((c, i) => [`t${i}`, c as unknown as StoredCustomer]).filter(([k]) => k === 't2')) }],
    associations: { ...emptyAssociations(P), items: Object.fromEntries(g.associations.map((a, i) => [`a${i}`, a])) },
    professionals: { ...emptyProfessionals(P), items: Object.fromEntries(g.professionals.map((p, i) => [`p${i}`, p])) },
    telemetry: g.telemetry.map((rows, i) => ({ ...emptyTelemetry(P, `2026-0${i + 1}`), rows: Object.fromEntries(rows.map((r, j) => [`r${j}`, r])) })),
  }));

/** What the schema makes of the stored records themselves (it drops unknown keys and fills defaults). */
function schemaSnapshot(s: LoadedState) {
  return partnerSnapshotSchema.parse({
    partnerId: s.profile.partnerId,
    name: s.profile.name,
    trackOverrides: s.profile.trackOverrides,
    enrollments: s.profile.enrollments,
    // Each tenant once, a shard's record over the profile's, in tenant order.
    customers: Object.values(Object.assign({}, s.profile.customers, ...(s.customers ?? []).map((d) => d.customers)) as Record<string, StoredCustomer>).sort((a, b) => (a.tenantId < b.tenantId ? -1 : 1)),
    associations: Object.values(s.associations.items),
    professionals: Object.values(s.professionals.items).map((p) => ({ ...p, certifications: Object.values(p.certifications).filter((c) => !c.removed) })),
    telemetry: s.telemetry.flatMap((t) => Object.values(t.rows)),
  });
}

describe('toSnapshot (the typed mapping the recompute scores)', () => {
  it('yields what partnerSnapshotSchema.parse yields for the same stored records', () => {
    fc.assert(
      fc.property(state, (s) => {
        expect(toSnapshot(s)).toEqual(schemaSnapshot(s));
      }),
      { numRuns: 300 },
    );
  });

  it('fills the defaults of records stored without them and leaves out removed certifications', () => {
    const s: LoadedState = {
      profile: { ...emptyProfile(P, '2026-01-01T00:00:00.000Z'), customers: { t: { tenantId: 't', updatedAt: 'x', lastEventId: 'e' } as never } },
      associations: { ...emptyAssociations(P), items: { a: { id: 'a', type: 'PAL', tenantId: 't', startDate: '2026-01-01', updatedAt: 'x', lastEventId: 'e', lifecycle: 'linked', history: [] } as never } },
      professionals: { ...emptyProfessionals(P), items: { p: { id: 'p', linked: true, linkHistory: [], updatedAt: 'x', lastEventId: 'e', certifications: { c: { certificationId: 'AZ-104', earnedOn: '2025-01-01', updatedAt: 'x', removed: true } } } } },
      telemetry: [{ ...emptyTelemetry(P, '2026-01'), rows: { r: { tenantId: 't', month: '2026-01', platform: 'azure', workload: 'w', associationType: 'PAL', updatedAt: 'x', lastEventId: 'e' } as never } }],
    };
    const snap = toSnapshot(s);
    expect(snap.customers[0]?.cloud).toBe('commercial');
    expect(snap.associations[0]?.status).toBe('active');
    expect(snap.telemetry[0]?.offer).toBe('standard');
    expect(snap.professionals[0]?.certifications).toEqual([]);
    expect(snap).toEqual(schemaSnapshot(s));
  });
});
