import { round6 } from './explain';
import type { MetricRule } from './rules/schema';
import type { Track } from './snapshot';
import type { MetricId, PlanState, ScoringSettings } from './types';

/**
 * The gap planner's model of an area: each metric's counts (PlanState) as one flat vector of quantities, and the
 * metric's own formula from those quantities back to points. An addition is a vector of quantity changes per unit
 * (measured by scoring the addition alone, see plan.ts), so a candidate plan's total is base + sum(count x effect),
 * evaluated without re-scoring the partner. Every plan the planner returns is still re-scored through the engine.
 */

export interface ModelMetric {
  id: MetricId;
  name: string;
  max: number;
  state: PlanState;
  /** Where this metric's quantities start in the track's vector. */
  offset: number;
  /** How many quantities it has. */
  size: number;
}

export interface ModelTrack {
  track: Track;
  metrics: ModelMetric[];
  /** The quantities of every metric, concatenated (see quantities()). */
  base: Float64Array;
}

export interface TrackResult {
  track: Track;
  total: number;
  points: number[];
  qualifies: boolean;
}

/** The quantities additions change, in a fixed order per metric kind. */
export function quantities(s: PlanState): number[] {
  switch (s.kind) {
    case 'net-count':
      return s.parts.map((p) => p.net);
    case 'growth-percent':
      return [s.now];
    case 'growth-absolute':
      return s.parts.map((p) => p.growth);
    case 'distinct-workloads':
      return [s.units];
    case 'skilling':
      return [...s.gates.map((g) => g.holders), s.qualifying];
  }
}

export function modelTrack(track: Track, metrics: { id: MetricId; name: string; max: number; state: PlanState }[]): ModelTrack {
  let offset = 0;
  const out: ModelMetric[] = [];
  const base: number[] = [];
  for (const m of metrics) {
    const q = quantities(m.state);
    out.push({ ...m, offset, size: q.length });
    base.push(...q);
    offset += q.length;
  }
  return { track, metrics: out, base: Float64Array.from(base) };
}

type Settings = Pick<ScoringSettings, 'negativeNet' | 'growthPointsRounding' | 'qualifyMetricTest'>;

/** The metric's points from its quantities q[o..o+size), as the metric's scorer computes them. */
export function metricPoints(m: ModelMetric, q: ArrayLike<number>, settings: Settings): number {
  const s = m.state;
  const o = m.offset;
  const floor = settings.growthPointsRounding === 'floor';
  switch (s.kind) {
    case 'net-count': {
      let best = -Infinity;
      let sum = 0;
      for (let i = 0; i < s.parts.length; i++) {
        const net = q[o + i]!;
        const units = settings.negativeNet === 'floor-zero' || s.combine === 'best' ? Math.max(0, net) : net;
        const p = (m.max * units) / s.parts[i]!.unitsForMax;
        if (p > best) best = p;
        sum += p;
      }
      return round6(Math.min(m.max, s.combine === 'best' ? best : Math.max(0, sum)));
    }
    case 'growth-percent': {
      if (s.blocked) return 0;
      const pct = ((q[o]! - s.base) * 100) / s.base;
      const raw = pct * s.pointsPerPercent;
      return round6(Math.max(0, Math.min(m.max, floor ? Math.floor(raw) : raw)));
    }
    case 'growth-absolute': {
      let best = -Infinity;
      let sum = 0;
      for (let i = 0; i < s.parts.length; i++) {
        const u = s.parts[i]!.unitsForMax;
        const positive = Math.max(0, q[o + i]!);
        const p = floor ? Math.floor(positive / (u / m.max)) : positive * (m.max / u);
        if (p > best) best = p;
        sum += p;
      }
      return round6(Math.min(m.max, s.combine === 'best' ? best : sum));
    }
    case 'distinct-workloads':
      return round6(Math.min(m.max, (m.max * Math.min(q[o]!, s.unitsForMax)) / s.unitsForMax));
    case 'skilling': {
      let met = true;
      let gatePoints = 0;
      for (let i = 0; i < s.gates.length; i++) {
        const g = s.gates[i]!;
        const ok = q[o + i]! >= g.minPeople;
        if (met && ok) gatePoints += g.points;
        if (!ok) met = false;
      }
      const raw = met ? gatePoints + s.perPerson * q[o + s.gates.length]! : gatePoints;
      return round6(Math.min(m.max, raw));
    }
  }
}

export function passes(points: number, settings: Pick<ScoringSettings, 'qualifyMetricTest'>): boolean {
  return settings.qualifyMetricTest === 'gte1' ? points >= 1 : points > 0;
}

export function evaluateTrack(t: ModelTrack, q: ArrayLike<number>, settings: Settings): TrackResult {
  const points: number[] = [];
  let total = 0;
  let allPass = true;
  for (const m of t.metrics) {
    const p = metricPoints(m, q, settings);
    points.push(p);
    total += p;
    if (!passes(p, settings)) allPass = false;
  }
  total = round6(Math.min(100, total));
  return { track: t.track, total, points, qualifies: total >= 70 && allPass };
}

/** The track the engine would report, by the same rule as engine.ts (best-of areas) or the fixed one. */
export function chooseTrack(results: TrackResult[], settings: Pick<ScoringSettings, 'bestTrackSelection'>): TrackResult {
  if (results.length === 1) return results[0]!;
  const ent = results.find((r) => r.track === 'enterprise')!;
  const smb = results.find((r) => r.track === 'smb')!;
  if (settings.bestTrackSelection === 'qualifying-first' && ent.qualifies !== smb.qualifies) return ent.qualifies ? ent : smb;
  return smb.total > ent.total || (smb.total === ent.total && smb.qualifies && !ent.qualifies) ? smb : ent;
}

/** How many more of a quantity saturate it (beyond that an addition earns the metric nothing more). */
export function saturation(m: ModelMetric, rule: MetricRule, index: number, current: number): number {
  const s = m.state;
  switch (s.kind) {
    case 'net-count':
      return s.parts[index]!.unitsForMax - current;
    case 'growth-percent':
      return s.blocked ? 0 : s.base * (1 + m.max / s.pointsPerPercent / 100) - current;
    case 'growth-absolute':
      return s.parts[index]!.unitsForMax - current;
    case 'distinct-workloads':
      return s.unitsForMax - current;
    case 'skilling': {
      if (index < s.gates.length) return s.gates[index]!.minPeople - current;
      const gatePoints = rule.kind === 'skilling' ? rule.gates.reduce((a, g) => a + g.points, 0) : 0;
      return Math.ceil((m.max - gatePoints) / s.perPerson - 1e-9) - current;
    }
  }
}

/** Set by trackTotal: whether every metric passed. Module-level so the search's hot loop allocates nothing. */
export const lastTrack = { allPass: true };

/** The track's total from its quantities (lastTrack.allPass says whether every metric passes); allocation-free. */
export function trackTotal(t: ModelTrack, q: ArrayLike<number>, settings: Settings): number {
  let total = 0;
  let allPass = true;
  const gte1 = settings.qualifyMetricTest === 'gte1';
  for (let i = 0; i < t.metrics.length; i++) {
    const p = metricPoints(t.metrics[i]!, q, settings);
    total += p;
    if (gte1 ? p < 1 : p <= 0) allPass = false;
  }
  lastTrack.allPass = allPass;
  return round6(Math.min(100, total));
}
