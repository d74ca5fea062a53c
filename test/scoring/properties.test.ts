import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AREAS, listCertifications, scorePartner, type PartnerScore, type PartnerSnapshotInput, type ScoringSettings } from '../../shared/scoring';
import type { Assoc, Person, Row } from './helpers';

/**
 * Properties over random small partners. Measures are whole numbers so that sums do not depend on the order of
 * floating-point additions (real telemetry in cents can differ in the last bit, which rounding to 6 decimals hides).
 */

const DATE = '2026-03-10';
const TENANTS = ['t0', 't1', 't2', 't3', 't4', 't5'];
const MONTHS = ['2024-02', '2024-12', '2025-01', '2025-02', '2025-03', '2025-08', '2025-12', '2026-01', '2026-02'];
const WORKLOADS = [
  ['azure', 'Storage'],
  ['azure', 'Sentinel'],
  ['azure', 'Virtual Machines'],
  ['azure', 'Key Vault'],
  ['microsoft-365', 'Teams'],
  ['microsoft-365', 'Intune'],
  ['microsoft-365', 'Exchange Online'],
  ['dynamics-365', 'Sales'],
  ['dynamics-365', 'Business Central'],
  ['dynamics-365', 'Customer Insights'],
  ['power-platform', 'Power Apps'],
] as const;
const TYPES = ['CPOR', 'PAL', 'DPOR', 'CSP'] as const;
const ROLES = ['use-or-consume', 'osa', 'osu', 'revrec', 'revrec-performance'] as const;
const CERTS = listCertifications().map((c) => c.id);
const FIXED_TRACKS = { 'data-ai': 'smb', infrastructure: 'enterprise', 'digital-app-innovation': 'smb', 'business-applications': 'enterprise' } as const;

const measure = fc.option(fc.integer({ min: 0, max: 40_000 }), { nil: undefined });
const rowArb: fc.Arbitrary<Row> = fc
  .record({
    tenantId: fc.constantFrom(...TENANTS),
    month: fc.constantFrom(...MONTHS),
    w: fc.constantFrom(...WORKLOADS),
    associationType: fc.constantFrom(...TYPES),
    acrUsd: measure,
    revenueUsd: measure,
    paidSeats: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }),
    activeUsers: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }),
    mcvUnits: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
    protectedUsers: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }),
  })
  .map(({ w, ...r }) => {
    const out: Row = { tenantId: r.tenantId, month: r.month, platform: w[0], workload: w[1], associationType: r.associationType };
    for (const k of ['acrUsd', 'revenueUsd', 'paidSeats', 'activeUsers', 'mcvUnits', 'protectedUsers'] as const) if (r[k] !== undefined) out[k] = r[k];
    return out;
  });
const assocArb: fc.Arbitrary<Assoc> = fc
  .record({
    type: fc.constantFrom(...TYPES),
    tenantId: fc.constantFrom(...TENANTS),
    role: fc.constantFrom(...ROLES),
    start: fc.constantFrom('2020-01-01', '2025-06-15', '2026-01-20'),
    // Some have ended: they count only in the year-ago months they were in place.
    end: fc.constantFrom(undefined, undefined, '2025-02-01', '2025-09-15'),
  })
  .filter(({ start, end }) => !end || end > start)
  .map(({ type, tenantId, role, start, end }) => ({ id: `${type}-${tenantId}-${role}-${start}`, type, tenantId, startDate: start, ...(end ? { status: 'ended' as const, endDate: end } : {}), ...(type === 'CPOR' ? { role } : {}) }));
const personArb: fc.Arbitrary<Person> = fc
  .record({
    id: fc.uuid(),
    linked: fc.boolean(),
    certs: fc.array(fc.record({ id: fc.constantFrom(...CERTS), earned: fc.constantFrom('2023-05-01', '2025-04-01', '2026-01-15'), expires: fc.constantFrom('2026-02-01', '2027-05-01', undefined) }), { maxLength: 4 }),
  })
  .map((p) => ({ id: p.id, linked: p.linked, certifications: p.certs.map((c) => ({ certificationId: c.id, earnedOn: c.earned, ...(c.expires ? { expiresOn: c.expires } : {}) })) }));

const snapshotArb: fc.Arbitrary<PartnerSnapshotInput> = fc.record({
  partnerId: fc.constant('prop'),
  associations: fc.array(assocArb, { maxLength: 12 }),
  professionals: fc.array(personArb, { maxLength: 8 }),
  telemetry: fc.array(rowArb, { maxLength: 60 }),
  customers: fc.subarray(TENANTS).map((ts) => ts.map((t, i) => ({ tenantId: t, segment: i % 2 ? ('smb' as const) : ('enterprise' as const) }))),
});
const settingsArb: fc.Arbitrary<Partial<ScoringSettings>> = fc.record({
  qualifyMetricTest: fc.constantFrom('gt0', 'gte1'),
  growthPointsRounding: fc.constantFrom('linear', 'floor'),
  negativeNet: fc.constantFrom('floor-zero', 'offset'),
  azureUsageGrowthBasis: fc.constantFrom('month', 'ttm'),
  yearAgoAssociations: fc.constantFrom('in-effect-then', 'evaluation-date'),
});

/** The numbers of a result, without explanation order. */
function numbers(r: PartnerScore) {
  return r.areas.map((a) => ({
    area: a.area,
    track: a.track,
    total: a.total,
    status: a.status,
    tracks: (a.tracks ?? [{ track: a.track, metrics: a.metrics }]).map((t) => t.metrics.map((m) => [m.id, m.points, m.units])),
    lines: (a.tracks ?? [{ metrics: a.metrics }]).flatMap((t) => t.metrics.flatMap((m) => m.explanation.map((l) => `${m.id}|${l.kind}|${l.subject.replace(/^\d+ /, '')}`))).sort(),
  }));
}

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The gap planner has its own properties (gap-planner.properties.test.ts); these are about the scores, so they skip it. */
describe('scoring properties', () => {
  it('no metric above its maximum or below zero; the total is the sum of the metrics and at most 100', () => {
    fc.assert(
      fc.property(snapshotArb, settingsArb, (snap, settings) => {
        const r = scorePartner(snap, { date: DATE, settings, includeGap: false });
        expect(r.areas.map((a) => a.area)).toEqual([...AREAS]);
        for (const a of r.areas) {
          for (const t of a.tracks ?? [{ total: a.total, metrics: a.metrics }]) {
            let sum = 0;
            for (const m of t.metrics) {
              expect(m.points).toBeGreaterThanOrEqual(0);
              expect(m.points).toBeLessThanOrEqual(m.max);
              sum += m.points;
            }
            expect(Math.abs(t.total - Math.min(100, sum))).toBeLessThan(1e-6);
            expect(t.total).toBeLessThanOrEqual(100);
          }
          expect(a.qualifiesToday).toBe(a.total >= 70 && a.zeroMetrics.length === 0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('adding a linked certified professional never lowers a score', () => {
    fc.assert(
      fc.property(snapshotArb, fc.constantFrom(...CERTS), (snap, cert) => {
        const fixed = { ...snap, trackOverrides: FIXED_TRACKS };
        const before = scorePartner(fixed, { date: DATE, includeGap: false });
        const more = { ...fixed, professionals: [...(fixed.professionals ?? []), { id: 'new-person', linked: true, certifications: [{ certificationId: cert, earnedOn: '2025-06-01', expiresOn: '2027-06-01' }] }] };
        const after = scorePartner(more, { date: DATE, includeGap: false });
        for (const [i, a] of after.areas.entries()) expect(a.total).toBeGreaterThanOrEqual(before.areas[i]!.total);
      }),
      { numRuns: 150 },
    );
  });

  it('adding a customer with an active association and usage last month never lowers a score', () => {
    fc.assert(
      fc.property(snapshotArb, fc.constantFrom(...WORKLOADS), fc.constantFrom(...TYPES), fc.constantFrom(...ROLES), fc.integer({ min: 1, max: 50_000 }), (snap, w, type, role, amount) => {
        const fixed = { ...snap, trackOverrides: FIXED_TRACKS };
        const before = scorePartner(fixed, { date: DATE, includeGap: false });
        const more: PartnerSnapshotInput = {
          ...fixed,
          associations: [...(fixed.associations ?? []), { id: 'new-assoc', type, tenantId: 'new-tenant', startDate: '2020-01-01', ...(type === 'CPOR' ? { role } : {}) }],
          telemetry: [
            ...(fixed.telemetry ?? []),
            { tenantId: 'new-tenant', month: '2026-02', platform: w[0], workload: w[1], associationType: type, acrUsd: amount, revenueUsd: amount, paidSeats: 400, activeUsers: 300, mcvUnits: amount, protectedUsers: 300 },
          ],
        };
        const after = scorePartner(more, { date: DATE, includeGap: false });
        for (const [i, a] of after.areas.entries()) expect(a.total).toBeGreaterThanOrEqual(before.areas[i]!.total);
      }),
      { numRuns: 150 },
    );
  });

  it('a customer lost since the year-ago month never raises net customer adds (issue 14, defect 4)', () => {
    const areas = ['data-ai', 'infrastructure', 'digital-app-innovation', 'business-applications'] as const;
    fc.assert(
      fc.property(snapshotArb, fc.constantFrom(...TYPES), fc.constantFrom(...ROLES), fc.constantFrom(...TENANTS), (snap, type, role, tenant) => {
        const fixed = { ...snap, trackOverrides: FIXED_TRACKS };
        const before = scorePartner(fixed, { date: DATE });
        const lost: PartnerSnapshotInput = {
          ...fixed,
          associations: [...(fixed.associations ?? []), { id: 'lost-assoc', type, tenantId: tenant, startDate: '2020-01-01', status: 'ended', endDate: '2025-12-01', ...(type === 'CPOR' ? { role } : {}) }],
        };
        const after = scorePartner(lost, { date: DATE });
        for (const id of areas) {
          const nca = (r: PartnerScore) => r.areas.find((a) => a.area === id)!.metrics.find((m) => m.id === 'net-customer-adds')!.points;
          expect(nca(after)).toBeLessThanOrEqual(nca(before));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('input order never changes a result', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer(), (snap, seed) => {
        const shuffled: PartnerSnapshotInput = {
          ...snap,
          associations: shuffle(snap.associations ?? [], seed),
          telemetry: shuffle(snap.telemetry ?? [], seed + 1),
          professionals: shuffle(snap.professionals ?? [], seed + 2).map((p) => ({ ...p, certifications: shuffle(p.certifications ?? [], seed + 3) })),
          customers: shuffle(snap.customers ?? [], seed + 4),
        };
        expect(numbers(scorePartner(shuffled, { date: DATE, includeGap: false }))).toEqual(numbers(scorePartner(snap, { date: DATE, includeGap: false })));
      }),
      { numRuns: 150 },
    );
  });

  it('results are deterministic and the snapshot is not modified', () => {
    fc.assert(
      fc.property(snapshotArb, settingsArb, (snap, settings) => {
        const copy = structuredClone(snap);
        const a = scorePartner(snap, { date: DATE, settings, includeGap: false });
        const b = scorePartner(snap, { date: DATE, settings, includeGap: false });
        expect(b).toEqual(a);
        expect(snap).toEqual(copy);
      }),
      { numRuns: 100 },
    );
  });
});
