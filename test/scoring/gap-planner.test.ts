import { describe, expect, it } from 'vitest';
import { applyChanges, scoreArea, type PartnerSnapshot } from '../../shared/scoring';
import { area, assoc, metric, people, person, row, snapshot } from './helpers';

const D = '2026-03-10';
const ADMIN = 'azure-administrator-associate';
const ARCHITECT = 'azure-solutions-architect-expert';
const DBA = 'azure-database-administrator-associate';

/** Data & AI SMB: three PAL customers with usage growth and deployments but no net adds, one administrator, five database administrators. */
function dataAiSmb(): PartnerSnapshot {
  const tenants = ['a', 'b', 'c'];
  return snapshot({
    trackOverrides: { 'data-ai': 'smb' },
    associations: tenants.map((t) => assoc('PAL', t)),
    telemetry: tenants.flatMap((t, i) => [
      row(t, '2026-02', 'azure', ['Storage', 'App Service', 'Key Vault'][i]!, 'PAL', { acrUsd: 3000 }),
      row(t, '2025-02', 'azure', 'Azure Monitor', 'PAL', { acrUsd: 800 }),
    ]),
    professionals: [person([ADMIN]), ...people(5, [DBA])],
  });
}

function rescored(snap: PartnerSnapshot, changes: Parameters<typeof applyChanges>[1], id: Parameters<typeof scoreArea>[1]) {
  const applied = applyChanges(snap, changes);
  expect(applied.problems).toEqual([]);
  return scoreArea(applied.snapshot, id, { date: D, includeGap: false });
}

describe('the gap planner', () => {
  it('counts what a gate step unlocks: the architect earns the five database administrators their points (+24, not +4) (defect 1)', () => {
    const snap = dataAiSmb();
    const a = area(snap, 'data-ai', D);
    expect(metric(a, 'intermediate-certifications').points).toBe(4);
    const gap = a.gap!;
    const architect = gap.steps.find((s) => /Azure Solutions Architect Expert/.test(s.what))!;
    expect(architect).toMatchObject({ add: 1, pointsGained: 24, gains: [{ metricId: 'intermediate-certifications', points: 24 }] });
    // No more database administrators are asked for: they already count once the step is met.
    expect(gap.steps.filter((s) => s.metricId === 'intermediate-certifications')).toHaveLength(1);
    // Re-scoring with only the architect added gives exactly the step's gain.
    const onlyArchitect = rescored(snap, [{ op: 'add-professional', professional: { id: 'new', linked: true, certifications: [{ certificationId: ARCHITECT, earnedOn: D }] } }], 'data-ai');
    expect(onlyArchitect.total - a.total).toBe(24);
    // The whole plan, sent as simulation changes, qualifies with the total it states.
    const after = rescored(snap, gap.steps.flatMap((s) => s.changes), 'data-ai');
    expect(after.qualifiesToday).toBe(true);
    expect(after.total).toBe(gap.totalAfter);
    expect(gap.steps.at(-1)!.totalAfter).toBe(gap.totalAfter);
  });

  it('states each step: what to add, the metric it raises and by how much, and the total after it', () => {
    const gap = area(dataAiSmb(), 'data-ai', D).gap!;
    let total = gap.total;
    for (const s of gap.steps) {
      expect(s.add).toBeGreaterThan(0);
      expect(s.what.length).toBeGreaterThan(10);
      expect(s.gains.reduce((x, g) => x + g.points, 0)).toBeCloseTo(s.pointsGained, 6);
      expect(s.totalAfter).toBeCloseTo(total + s.pointsGained, 6);
      total = s.totalAfter;
    }
    expect(gap.cost).toBe(gap.steps.reduce((x, s) => x + s.cost, 0));
  });

  it('follows the cost weights: certified people made dear are used no more than before, and the cost of the plan uses the weight', () => {
    const snap = snapshot({ trackOverrides: { infrastructure: 'enterprise' }, associations: ['a', 'b', 'c'].map((t) => assoc('PAL', t)), telemetry: dataAiSmb().telemetry, professionals: [...people(2, [ADMIN, ARCHITECT]), ...people(2, ['azure-network-engineer-associate'])] });
    const cheap = area(snap, 'infrastructure', D).gap!;
    expect(cheap.reachable).toBe(true);
    const dear = area(snap, 'infrastructure', D, { settings: { gapCosts: { certifiedPerson: 100 } } }).gap!;
    expect(dear.costModel.certifiedPerson).toBe(100);
    const heads = (g: typeof cheap) => g.steps.filter((s) => s.lever === 'certified-person').reduce((x, s) => x + s.add, 0);
    expect(heads(dear)).toBeLessThanOrEqual(heads(cheap));
    expect(dear.cost).toBeGreaterThanOrEqual(100 * heads(dear));
    for (const g of [cheap, dear]) expect(rescored(snap, g.steps.flatMap((s) => s.changes), 'infrastructure').qualifiesToday).toBe(true);
  });

  it('offers up to two verified alternatives, each doing without a lever of the cheapest plan', () => {
    const snap = snapshot({ trackOverrides: { infrastructure: 'smb' }, associations: ['a', 'b', 'c'].map((t) => assoc('PAL', t)), telemetry: dataAiSmb().telemetry, professionals: people(1, [ADMIN]) });
    const gap = area(snap, 'infrastructure', D).gap!;
    expect(gap.reachable).toBe(true);
    expect(gap.alternatives.length).toBeGreaterThan(0);
    const levers = (steps: typeof gap.steps) => new Set(steps.map((s) => `${s.metricId}|${s.what.replace(/^\d+ /, '')}`));
    for (const alt of gap.alternatives) {
      expect(alt.cost).toBeGreaterThanOrEqual(gap.cost);
      expect([...levers(gap.steps)].every((l) => levers(alt.steps).has(l))).toBe(false);
      const after = rescored(snap, alt.steps.flatMap((s) => s.changes), 'infrastructure');
      expect(after.qualifiesToday).toBe(true);
      expect(after.total).toBe(alt.totalAfter);
    }
  });

  it('says so, and why, when no plan exists within the caps', () => {
    const gap = area(snapshot({ trackOverrides: { 'data-ai': 'smb' } }), 'data-ai', D).gap!;
    expect(gap).toMatchObject({ reachable: false, steps: [], alternatives: [] });
    expect(gap.notes[0]).toMatch(/Usage growth: the baseline \(0 USD ACR, 2025-02\) is below the minimum of 1,000/);
    expect(gap.notes[1]).toMatch(/no plan within the caps/);
  });
});
