import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { AreaId, AreaScore, MetricScore, PartnerScore } from '../scoring';
import {
  MAX_STORED_EXPLANATION_LINES,
  SCORE_DOC_IDS,
  SCORES_SCHEMA_VERSION,
  type AreaSummary,
  type DayEntry,
  type HistoryDoc,
  type ScoreDayDoc,
  type ScoreStatusDoc,
  type StoredAreaScore,
} from '../score-history/documents';

// How a partner's score becomes the documents a recompute stores: pure, no I/O.

function capMetric(m: MetricScore): MetricScore {
  if (m.explanation.length <= MAX_STORED_EXPLANATION_LINES) return m;
  const kept = m.explanation.slice(0, MAX_STORED_EXPLANATION_LINES);
  kept.push({ kind: 'note', subject: m.name, reason: `${m.explanation.length - MAX_STORED_EXPLANATION_LINES} more lines not stored; POST /simulate with no changes returns them all` });
  return { ...m, explanation: kept };
}

const metricSummary = (m: MetricScore) => ({ id: m.id, name: m.name, points: m.points, max: m.max });

/** The stored breakdown: the engine's output, with explanation lists capped so one document stays well below 2 MB. */
function storedAreas(score: PartnerScore): StoredAreaScore[] {
  return score.areas.map((a) => ({
    ...a,
    metrics: a.metrics.map(capMetric),
    ...(a.tracks ? { tracks: a.tracks.map((t) => ({ track: t.track, total: t.total, qualifies: t.qualifies, metrics: t.metrics.map(metricSummary) })) } : {}),
  }));
}

function encodeBreakdown(areas: StoredAreaScore[]): ScoreDayDoc['breakdown'] {
  return { encoding: 'gzip+base64', data: gzipSync(JSON.stringify(areas), { level: 6 }).toString('base64') };
}

export function summarize(a: AreaScore): AreaSummary {
  return {
    area: a.area,
    name: a.name,
    total: a.total,
    status: a.status,
    ...(a.eligibility ? { eligibility: a.eligibility } : {}),
    qualifiesToday: a.qualifiesToday,
    track: a.track,
    ruleVersion: a.ruleVersion,
    zeroMetrics: a.zeroMetrics,
    metrics: a.metrics.map(metricSummary),
  };
}

/**
 * Identifies a day's result without serialising the whole breakdown: the breakdown is a function of the state
 * (its version), the date, the rule version and the settings, and the summaries catch any other difference.
 */
export function contentHash(date: string, stateVersion: number, score: PartnerScore): string {
  return createHash('sha256')
    .update(JSON.stringify([date, stateVersion, score.ruleVersion, score.settings, score.areas.map(summarize)]))
    .digest('base64url');
}

/** The day's score document: summaries readable as is, the full breakdown compressed. */
export function scoreDayDoc(partnerId: string, date: string, stateVersion: number, score: PartnerScore, computedAt: string): ScoreDayDoc {
  return {
    id: SCORE_DOC_IDS.day(date),
    partnerId,
    type: 'score',
    schemaVersion: SCORES_SCHEMA_VERSION,
    date,
    ruleVersion: score.ruleVersion,
    stateVersion,
    computedAt,
    areas: score.areas.map(summarize),
    breakdown: encodeBreakdown(storedAreas(score)),
  };
}

/** The day's line of the month's history document. */
export function historyEntry(score: PartnerScore): Partial<Record<AreaId, DayEntry>> {
  return Object.fromEntries(score.areas.map((a) => [a.area, { t: a.total, q: a.qualifiesToday, s: a.status }]));
}

export const emptyHistory = (partnerId: string, month: string): HistoryDoc => ({
  id: SCORE_DOC_IDS.history(month),
  partnerId,
  type: 'score-history',
  schemaVersion: SCORES_SCHEMA_VERSION,
  month,
  days: {},
});

export const emptyStatus = (partnerId: string, date: string): ScoreStatusDoc => ({
  id: SCORE_DOC_IDS.status,
  partnerId,
  type: 'score-status',
  schemaVersion: SCORES_SCHEMA_VERSION,
  latestDate: date,
  areas: [],
  contentHash: '',
  stateVersion: 0,
  computedAt: '',
  reason: '',
  projectedLosses: [],
});
