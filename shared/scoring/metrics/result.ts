import { note, round6 } from '../explain';
import type { Track } from '../snapshot';
import type { ExplanationLine, MetricScore } from '../types';

type MetricIdentity = Pick<MetricScore, 'id' | 'name' | 'family' | 'max'>;

/**
 * The score of one metric: its identity from the rule, and the points capped at the metric's maximum
 * (rounded to 6 decimals, so fractional rules such as 2.14 a person do not print float noise).
 */
export function metricScore(m: MetricIdentity, track: Track, rawPoints: number, rest: Omit<MetricScore, 'id' | 'name' | 'family' | 'track' | 'points' | 'max'>): MetricScore {
  return { id: m.id, name: m.name, family: m.family, track, points: round6(Math.min(m.max, rawPoints)), max: m.max, ...rest };
}

/**
 * Of a metric's association types, the one that gives the most points (the first on a tie): only one association
 * type counts per metric, and the explanation says which.
 */
export function bestAssociationType<T extends { points: number; label: string }>(parts: readonly T[], explanation: ExplanationLine[]): T {
  let best = parts[0]!;
  for (const p of parts) if (p.points > best.points) best = p;
  if (parts.length > 1) explanation.push(note('Best association type', `${best.label} gives the most points; only one association type counts per metric`));
  return best;
}
