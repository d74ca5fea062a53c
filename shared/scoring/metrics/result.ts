import { round6 } from '../explain';
import type { Track } from '../snapshot';
import type { MetricScore } from '../types';

type MetricIdentity = Pick<MetricScore, 'id' | 'name' | 'family' | 'max'>;

/**
 * The score of one metric: its identity from the rule, and the points capped at the metric's maximum
 * (rounded to 6 decimals, so fractional rules such as 2.14 a person do not print float noise).
 */
export function metricScore(m: MetricIdentity, track: Track, rawPoints: number, rest: Omit<MetricScore, 'id' | 'name' | 'family' | 'track' | 'points' | 'max'>): MetricScore {
  return { id: m.id, name: m.name, family: m.family, track, points: round6(Math.min(m.max, rawPoints)), max: m.max, ...rest };
}
