import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AREAS, applyChanges, parseSnapshot, resolveSettings, ruleSetFor, scoreArea, type AreaId, type PartnerSnapshot, type SimulationChange } from '../../shared/scoring';
import { planLevers } from '../../shared/scoring/gap';
import type { Assoc, Row } from './helpers';

/**
 * Properties of the gap planner over generated partners near qualification (customers with usage in the baseline
 * month and last month, people holding some of the area's certifications): every plan it returns, applied through
 * applyChanges as POST /simulate does, qualifies with the total it states; no step of a plan can be left out; and on
 * small partners no cheaper combination of the planner's additions qualifies (checked by re-scoring each one).
 */

const DATE = '2026-03-10';
const RUNS = 1000;
const RULES = ruleSetFor(DATE);
const SETTINGS = resolveSettings();

const CERTS_BY_AREA = Object.fromEntries(
  AREAS.map((a) => {
    const t = RULES.areas[a].tracks;
    const ids = [t.enterprise, t.smb].flatMap((tr) => tr?.metrics ?? []).flatMap((m) => (m.kind === 'skilling' ? [...m.certifications, ...m.gates.flatMap((g) => g.certifications)] : []));
    return [a, [...new Set(ids)]];
  }),
) as Record<AreaId, string[]>;

type Kind = { platform: Row['platform']; workloads: string[]; types: Assoc['type'][]; measures: (keyof Row)[] };
const AZURE: Kind = { platform: 'azure', workloads: ['Storage', 'Key Vault', 'Azure Monitor'], types: ['PAL', 'CSP'], measures: ['acrUsd'] };
const KINDS: Record<AreaId, Kind[]> = {
  'data-ai': [AZURE],
  infrastructure: [AZURE],
  'digital-app-innovation': [AZURE],
  'business-applications': [{ platform: 'dynamics-365', workloads: ['Sales', 'Business Central'], types: ['DPOR', 'CSP'], measures: ['revenueUsd', 'mcvUnits'] }],
  'modern-work': [{ platform: 'microsoft-365', workloads: ['Teams', 'Intune'], types: ['CPOR', 'CSP', 'DPOR'], measures: ['paidSeats', 'activeUsers'] }],
  security: [
    { platform: 'microsoft-365', workloads: ['Intune', 'Defender for Endpoint P2'], types: ['CPOR', 'CSP'], measures: ['paidSeats', 'protectedUsers', 'activeUsers'] },
    { platform: 'azure', workloads: ['Sentinel', 'Key Vault'], types: ['PAL', 'CSP'], measures: ['acrUsd'] },
  ],
};
const SCALE: Partial<Record<keyof Row, number>> = { acrUsd: 4000, revenueUsd: 3000, mcvUnits: 300, paidSeats: 500, activeUsers: 400, protectedUsers: 400 };

const partnerArb = fc.constantFrom(...AREAS).chain((area) =>
  fc
    .record({
      track: fc.constantFrom('enterprise' as const, 'smb' as const),
      tenants: fc.array(
        fc.record({
          kind: fc.nat({ max: KINDS[area].length - 1 }),
          type: fc.nat({ max: 2 }),
          workload: fc.nat({ max: 1 }),
          months: fc.subarray(['2025-02', '2026-01', '2026-02'], { minLength: 1 }),
          amounts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      people: fc.array(fc.subarray(CERTS_BY_AREA[area], { maxLength: 2 }), { maxLength: 5 }),
    })
    .map(({ track, tenants, people }) => {
      const associations: Assoc[] = [];
      const telemetry: Row[] = [];
      tenants.forEach((t, i) => {
        const k = KINDS[area][t.kind]!;
        const type = k.types[t.type % k.types.length]!;
        const tenantId = `t${i}`;
        associations.push({ id: `a${i}`, type, tenantId, startDate: '2020-01-01', ...(type === 'CPOR' ? { role: 'use-or-consume' as const } : {}) });
        for (const month of t.months) {
          const r: Row = { tenantId, month, platform: k.platform, workload: k.workloads[t.workload % k.workloads.length]!, associationType: type };
          k.measures.forEach((m, j) => ((r as Record<string, unknown>)[m] = Math.round((t.amounts[j % 3]! * SCALE[m]!) * (month === '2025-02' ? 0.8 : 1))));
          telemetry.push(r);
        }
      });
      const snap = parseSnapshot({
        partnerId: 'gen',
        trackOverrides: { [area]: track },
        associations,
        telemetry,
        professionals: people.map((certs, i) => ({ id: `p${i}`, linked: true, certifications: certs.map((c) => ({ certificationId: c, earnedOn: '2025-06-01' })) })),
      });
      return { area, snap };
    }),
);

const rescore = (snap: PartnerSnapshot, area: AreaId, changes: readonly SimulationChange[]) => {
  const applied = applyChanges(snap, changes);
  expect(applied.problems).toEqual([]);
  return scoreArea(applied.snapshot, area, { date: DATE, includeGap: false });
};

/** Lever count vectors cheaper than `limit`, within caps; undefined when there are more than `max`. */
function cheaperVectors(levers: { cost: number; cap: number }[], limit: number, max: number): number[][] | undefined {
  const out: number[][] = [];
  const counts = levers.map(() => 0);
  const walk = (d: number, cost: number): boolean => {
    if (d === levers.length) {
      out.push([...counts]);
      return out.length <= max;
    }
    for (let n = 0; n <= levers[d]!.cap && cost + n * levers[d]!.cost < limit - 1e-9; n++) {
      counts[d] = n;
      if (!walk(d + 1, cost + n * levers[d]!.cost)) return false;
    }
    counts[d] = 0;
    return true;
  };
  return walk(0, 0) ? out : undefined;
}

describe('gap planner properties', () => {
  it(`over ${RUNS} generated partners: plans qualify through simulate, are minimal, and nothing cheaper qualifies on small partners`, () => {
    const seen = { partners: 0, plans: 0, alternatives: 0, unreachable: 0, qualified: 0, bruteForced: 0, vectors: 0 };
    fc.assert(
      fc.property(partnerArb, ({ area, snap }) => {
        seen.partners++;
        const today = scoreArea(snap, area, { date: DATE });
        if (today.qualifiesToday) {
          seen.qualified++;
          return;
        }
        const gap = today.gap!;
        if (!gap.reachable) {
          seen.unreachable++;
          expect(gap.notes.length).toBeGreaterThan(0);
          return;
        }
        const plans = [{ steps: gap.steps, totalAfter: gap.totalAfter, cost: gap.cost }, ...gap.alternatives];
        for (const plan of plans) {
          const all = plan.steps.flatMap((s) => s.changes);
          const after = rescore(snap, area, all);
          expect(after.qualifiesToday).toBe(true);
          expect(after.total).toBe(plan.totalAfter);
          expect(plan.steps.at(-1)!.totalAfter).toBeCloseTo(after.total, 6);
          // Minimal: without any one step the area no longer qualifies.
          for (const step of plan.steps) {
            const rest = plan.steps.filter((s) => s !== step).flatMap((s) => s.changes);
            expect(rescore(snap, area, rest).qualifiesToday).toBe(false);
          }
        }
        seen.plans++;
        seen.alternatives += gap.alternatives.length;
        if (!gap.searchComplete) return;
        // Small partners: every cheaper combination of the planner's own additions, re-scored, fails to qualify.
        const levers = planLevers({ snapshot: snap, area, date: DATE, rules: RULES, settings: SETTINGS, score: today, rescore: (s) => scoreArea(s, area, { date: DATE, includeGap: false }) });
        const vectors = cheaperVectors(levers, gap.cost, 3000);
        if (!vectors) return;
        seen.bruteForced++;
        for (const v of vectors) {
          const changes = levers.flatMap((l, i) => Array.from({ length: v[i]! }, (_, k) => l.unit(k)).flat());
          seen.vectors++;
          expect(rescore(snap, area, changes).qualifiesToday).toBe(false);
        }
      }),
      { numRuns: RUNS, seed: 20261202, endOnFailure: true },
    );
    console.log(`gap planner properties: ${JSON.stringify(seen)}`);
    expect(seen.partners).toBe(RUNS);
    expect(seen.plans).toBeGreaterThan(RUNS / 10);
    expect(seen.bruteForced).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
