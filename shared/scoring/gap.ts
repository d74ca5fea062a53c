import { fmt } from './explain';
import type { AreaScore, Gap, GapStep, MetricScore, ScoringSettings } from './types';

const QUALIFYING_TOTAL = 70;
const EPS = 1e-9;

function passes(points: number, test: ScoringSettings['qualifyMetricTest']): boolean {
  return test === 'gte1' ? points >= 1 - EPS : points > EPS;
}

/**
 * The smallest additions that would qualify an area: first give every zero metric its first points
 * (gate certifications included), then close the distance to 70 with the additions worth most points
 * each. Growth metrics are measured in percentage points or users, so they come last unless cheaper.
 */
export function gapToQualify(area: Pick<AreaScore, 'metrics' | 'total'>, settings: Pick<ScoringSettings, 'qualifyMetricTest'>): Gap {
  const test = settings.qualifyMetricTest;
  const state = new Map<string, { m: MetricScore; points: number; prereqDone: boolean }>();
  for (const m of area.metrics) state.set(m.id, { m, points: m.points, prereqDone: m.gapHint.prerequisites.length === 0 });
  const steps: GapStep[] = [];
  /** Steps that add units of a metric (not its gate steps), which a later addition to the same metric extends. */
  const unitSteps = new Set<GapStep>();
  const notes: string[] = [];
  let reachable = true;
  const zeroMetrics = area.metrics.filter((m) => !passes(m.points, test)).map((m) => m.id);

  const addPrerequisites = (s: { m: MetricScore; points: number; prereqDone: boolean }) => {
    if (s.prereqDone) return;
    for (const p of s.m.gapHint.prerequisites) {
      if (p.add <= 0) continue;
      steps.push({ metricId: s.m.id, metricName: s.m.name, add: p.add, what: `${p.add === 1 ? 'person' : 'people'} with ${p.what} (prerequisite step)`, pointsGained: p.points });
      s.points = Math.min(s.m.max, s.points + p.points);
    }
    s.prereqDone = true;
  };
  const addUnits = (s: { m: MetricScore; points: number; prereqDone: boolean }, wantedPoints: number) => {
    const ppu = s.m.gapHint.pointsPerUnit;
    const room = s.m.max - s.points;
    const gain = Math.min(room, wantedPoints);
    if (gain <= EPS) return 0;
    const n = Math.ceil(gain / ppu - EPS);
    const gained = Math.min(room, n * ppu);
    const last = steps.find((st) => st.metricId === s.m.id && unitSteps.has(st));
    const what = (count: number) => (count === 1 ? s.m.gapHint.unitDescription : s.m.gapHint.unitDescriptionPlural);
    if (last) {
      last.add += n;
      last.what = what(last.add);
      last.pointsGained = Math.round((last.pointsGained + gained) * 100) / 100;
    } else {
      const step = { metricId: s.m.id, metricName: s.m.name, add: n, what: what(n), pointsGained: Math.round(gained * 100) / 100 };
      unitSteps.add(step);
      steps.push(step);
    }
    s.points += gained;
    return gained;
  };

  for (const id of zeroMetrics) {
    const s = state.get(id)!;
    if (s.m.gapHint.pointsPerUnit <= 0) {
      reachable = false;
      notes.push(`${s.m.name}: ${s.m.gapHint.blockedReason ?? 'cannot be raised by additions'}`);
      continue;
    }
    addPrerequisites(s);
    if (!passes(s.points, test)) addUnits(s, test === 'gte1' ? 1 - s.points : s.m.gapHint.pointsPerUnit);
  }
  let total = 0;
  for (const s of state.values()) total += s.points;
  const pointsShort = Math.max(0, QUALIFYING_TOTAL - total);
  if (total < QUALIFYING_TOTAL - EPS) {
    const order = [...state.values()].filter((s) => s.m.gapHint.pointsPerUnit > 0 && s.points < s.m.max - EPS).sort((a, b) => b.m.gapHint.pointsPerUnit - a.m.gapHint.pointsPerUnit);
    for (const s of order) {
      if (total >= QUALIFYING_TOTAL - EPS) break;
      const before = s.points;
      addPrerequisites(s);
      addUnits(s, QUALIFYING_TOTAL - total - (s.points - before));
      total += s.points - before;
    }
  }
  if (total < QUALIFYING_TOTAL - EPS) {
    reachable = false;
    notes.push(`even at every metric's maximum the area reaches only ${fmt(total)} points`);
  }
  const qualifies = zeroMetrics.length === 0 && area.total >= QUALIFYING_TOTAL;
  return {
    qualifies,
    total: area.total,
    pointsShort: Math.round(pointsShort * 100) / 100,
    zeroMetrics,
    steps: qualifies ? [] : steps,
    totalAfter: Math.round(total * 100) / 100,
    reachable: qualifies || reachable,
    notes,
  };
}
