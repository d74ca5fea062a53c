import { ScoringContext } from './context';
import { isCalendarDate, monthIndex } from '../lib/dates';
import { note, round6 } from './explain';
import { planToQualify } from './gap';
import { scoreDistinctWorkloads } from './metrics/distinct-workloads';
import { scoreGrowthAbsolute, scoreGrowthPercent } from './metrics/growth';
import { scoreNetCount } from './metrics/net-count';
import { scoreSkilling } from './metrics/skilling';
import { ruleSetByVersion, ruleSetFor } from './rules';
import type { MetricRule, RuleSet, TrackRules } from './rules/schema';
import { resolveSettings } from './settings';
import { AREA_NAMES, AREAS, type AreaId, type PartnerSnapshot, type PartnerSnapshotInput, type Track } from './snapshot';
import { classify } from './tracks';
import type { AreaScore, AreaStatus, MetricScore, PartnerScore, ScoreOptions, ScoringSettings, TrackScore } from './types';

export const QUALIFYING_TOTAL = 70;

/**
 * Module-level so a rule's memo key is serialised once, not once per call. Keyed weakly by the loaded rule objects,
 * so it holds at most one string per metric rule alive (the registry's rule sets, plus any a caller loads itself).
 */
const ruleKeys = new WeakMap<MetricRule, string>();

/**
 * The three Azure areas share their consumption metrics word for word, so a metric whose rule is identical
 * (and which does not name its area in explanations) is computed once per call and reused.
 */
function scoreMetric(ctx: ScoringContext, m: MetricRule, track: Track, area: AreaId): MetricScore {
  if (m.kind === 'skilling') return computeMetric(ctx, m, track, area);
  let key = ruleKeys.get(m);
  if (key === undefined) {
    key = JSON.stringify(m);
    ruleKeys.set(m, key);
  }
  const memoKey = `${track}|${key}`;
  const hit = ctx.metricMemo.get(memoKey);
  if (hit) return { ...hit, explanation: hit.explanation };
  const score = computeMetric(ctx, m, track, area);
  ctx.metricMemo.set(memoKey, score);
  return { ...score };
}

function computeMetric(ctx: ScoringContext, m: MetricRule, track: Track, area: AreaId): MetricScore {
  switch (m.kind) {
    case 'net-count':
      return scoreNetCount(ctx, m, track);
    case 'growth-percent':
      return scoreGrowthPercent(ctx, m, track);
    case 'growth-absolute':
      return scoreGrowthAbsolute(ctx, m, track);
    case 'distinct-workloads':
      return scoreDistinctWorkloads(ctx, m, track);
    case 'skilling':
      return scoreSkilling(ctx, m, track, area);
  }
}

/** A metric "has points" under the chosen reading of the designation rule. */
export function metricPasses(points: number, settings: Pick<ScoringSettings, 'qualifyMetricTest'>): boolean {
  return settings.qualifyMetricTest === 'gte1' ? points >= 1 : points > 0;
}

function scoreTrack(ctx: ScoringContext, area: AreaId, rules: TrackRules, track: Track): TrackScore {
  const metrics: MetricScore[] = [];
  for (const m of rules.metrics) metrics.push(scoreMetric(ctx, m, track, area));
  let total = 0;
  let allPass = true;
  for (const m of metrics) {
    total += m.points;
    if (!metricPasses(m.points, ctx.settings)) allPass = false;
  }
  total = round6(Math.min(100, total));
  const qualifies = total >= QUALIFYING_TOTAL && allPass;
  return { track, total, metrics, qualifies };
}

function statusOf(ctx: ScoringContext, area: AreaId, total: number, qualifies: boolean): AreaStatus {
  const e = (ctx.snapshot.enrollments ?? []).find((x) => x.area === area && x.enrolledOn <= ctx.date && ctx.date < x.anniversaryDate);
  if (e) return ctx.monthNow >= monthIndex(e.anniversaryDate) - 5 ? 'enrolled-renewal-due' : 'enrolled';
  if (qualifies) return 'qualified';
  return total > 0 ? 'in-progress' : 'not-started';
}

export function scoreAreaWith(ctx: ScoringContext, area: AreaId, includeGap: boolean): AreaScore {
  const rules = ctx.rules.areas[area];
  let chosen: TrackScore;
  let trackReason: string;
  let tracks: TrackScore[] | undefined;
  if (rules.trackMode === 'best-of' && rules.tracks.smb) {
    const ent = scoreTrack(ctx, area, rules.tracks.enterprise, 'enterprise');
    const smb = scoreTrack(ctx, area, rules.tracks.smb, 'smb');
    tracks = [ent, smb];
    const preferQualifying = ctx.settings.bestTrackSelection === 'qualifying-first' && ent.qualifies !== smb.qualifies;
    if (preferQualifying) chosen = ent.qualifies ? ent : smb;
    else if (smb.total > ent.total || (smb.total === ent.total && smb.qualifies && !ent.qualifies)) chosen = smb;
    else chosen = ent;
    trackReason = `Enterprise ${ent.total} vs SMB ${smb.total}: ${chosen.track === 'smb' ? 'SMB' : 'Enterprise'} ${preferQualifying ? 'qualifies' : 'has the higher total (taken at solution-area level, not per metric)'}`;
  } else {
    const c = classify(ctx, area, rules);
    const trackRules = c.track === 'smb' && rules.tracks.smb ? rules.tracks.smb : rules.tracks.enterprise;
    chosen = scoreTrack(ctx, area, trackRules, trackRules === rules.tracks.smb ? 'smb' : 'enterprise');
    trackReason = c.reason;
  }
  const zeroMetrics = chosen.metrics.filter((m) => !metricPasses(m.points, ctx.settings)).map((m) => m.id);
  const max = chosen.metrics.reduce((s, m) => s + m.max, 0);
  const score: AreaScore = {
    area,
    name: AREA_NAMES[area],
    ruleVersion: ctx.rules.version,
    track: chosen.track,
    trackReason,
    total: chosen.total,
    max,
    metrics: chosen.metrics,
    ...(tracks ? { tracks } : {}),
    qualifiesToday: chosen.qualifies,
    status: statusOf(ctx, area, chosen.total, chosen.qualifies),
    zeroMetrics,
  };
  if (includeGap && !chosen.qualifies) {
    const rescore = (snapshot: PartnerSnapshot): AreaScore => {
      const c = new ScoringContext(snapshot, ctx.date, ctx.rules, ctx.settings);
      try {
        return scoreAreaWith(c, area, false);
      } finally {
        c.release();
      }
    };
    score.gap = planToQualify({ snapshot: ctx.snapshot, area, date: ctx.date, rules: ctx.rules, settings: ctx.settings, score, rescore });
  }
  if (zeroMetrics.length > 0) {
    for (const m of chosen.metrics) {
      // Copy, because the explanation array may be shared with another area's identical metric.
      if (zeroMetrics.includes(m.id)) m.explanation = [...m.explanation, note(m.name, `${m.points > 0 ? 'below one point' : 'zero points'}: the area cannot qualify until every metric has points`)];
    }
  }
  return score;
}

export function resolveRules(date: string, ruleVersion?: string): RuleSet {
  return ruleVersion ? ruleSetByVersion(ruleVersion) : ruleSetFor(date);
}

function checkDate(date: string): void {
  if (typeof date !== 'string' || !isCalendarDate(date)) throw new RangeError(`date must be a calendar date YYYY-MM-DD, got "${String(date)}"`);
}

export function makeContext(snapshot: PartnerSnapshotInput | PartnerSnapshot, options: ScoreOptions): ScoringContext {
  checkDate(options.date);
  return new ScoringContext(snapshot as PartnerSnapshot, options.date, resolveRules(options.date, options.ruleVersion), resolveSettings(options.settings));
}

/** Scores all six areas on one date. The snapshot must already be valid (parseSnapshot); it is not modified. */
export function scorePartner(snapshot: PartnerSnapshotInput | PartnerSnapshot, options: ScoreOptions): PartnerScore {
  const ctx = makeContext(snapshot, options);
  const includeGap = options.includeGap ?? true;
  // A plain loop rather than a closure over the context: optimised code that captured one call's context is
  // thrown away once that context is collected, which made every later call start cold.
  const areas: AreaScore[] = [];
  try {
    for (const a of AREAS) areas.push(scoreAreaWith(ctx, a, includeGap));
  } finally {
    ctx.release();
  }
  return { partnerId: snapshot.partnerId, date: options.date, ruleVersion: ctx.rules.version, settings: ctx.settings, areas };
}

/** Scores one area on one date. */
export function scoreArea(snapshot: PartnerSnapshotInput | PartnerSnapshot, area: AreaId, options: ScoreOptions): AreaScore {
  if (!AREAS.includes(area)) throw new RangeError(`unknown area "${String(area)}"; known: ${AREAS.join(', ')}`);
  const ctx = makeContext(snapshot, options);
  try {
    return scoreAreaWith(ctx, area, options.includeGap ?? true);
  } finally {
    ctx.release();
  }
}
