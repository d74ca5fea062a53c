import type { AreaId, AreaScore, AreaStatus, Eligibility, MetricId } from '../scoring';

/**
 * Score documents in the `partners` container, beside the partner's state (same partition, point reads only).
 * See docs/decisions/003-score-documents.md.
 */
export const SCORES_SCHEMA_VERSION = 1;

export const SCORE_DOC_IDS = {
  /** The latest computed scores: what GET /scores reads, and what status changes are detected against. */
  status: 'score-status',
  /** The day's full breakdown of all six areas, explanations and gaps included. */
  day: (date: string) => `score:${date}`,
  /** Daily totals and statuses of one month: the history and the qualification window read these. */
  history: (month: string) => `history:${month}`,
  /** The partner's recent alerts, newest first. */
  alerts: 'alerts',
} as const;

/** Explanation lines kept per metric in a stored breakdown, so a very large partner stays far below 2 MB. */
export const MAX_STORED_EXPLANATION_LINES = 200;

export interface MetricSummary {
  id: MetricId;
  name: string;
  points: number;
  max: number;
}

export interface AreaSummary {
  area: AreaId;
  name: string;
  total: number;
  status: AreaStatus;
  /** With status `eligible-to-enroll`: the day it qualified and the last day that keeps it eligible. */
  eligibility?: Eligibility;
  qualifiesToday: boolean;
  track: string;
  ruleVersion: string;
  zeroMetrics: MetricId[];
  metrics: MetricSummary[];
}

/** Both tracks' totals when the area computes both; the chosen track's full metrics are the area's own. */
export interface TrackSummary {
  track: string;
  total: number;
  qualifies: boolean;
  metrics: MetricSummary[];
}

/** The engine's AreaScore as stored: the other track keeps its points only, not a second copy of every explanation. */
export type StoredAreaScore = Omit<AreaScore, 'tracks'> & { tracks?: TrackSummary[] };

export interface ScoreDayDoc {
  id: string;
  partnerId: string;
  type: 'score';
  schemaVersion: typeof SCORES_SCHEMA_VERSION;
  date: string;
  ruleVersion: string;
  /** The partner state version the scores were computed from. */
  stateVersion: number;
  /** When the scores were computed; absent on documents written before it was recorded. */
  computedAt?: string;
  /** Totals, statuses and metric points of every area, readable as is. */
  areas: AreaSummary[];
  /**
   * The full breakdown (StoredAreaScore[]: explanations, gaps) as gzip-compressed JSON in base64. It is only ever
   * read whole, by id; compressed it is about a tenth of the size, which is what a write costs in request units.
   */
  breakdown: { encoding: 'gzip+base64'; data: string };
  _etag?: string;
}

/** First date on which an area that qualifies today is projected to stop qualifying, if nothing changes. */
export interface ProjectedLoss {
  area: AreaId;
  lossDate: string;
  reason: string;
}

export interface ScoreStatusDoc {
  id: typeof SCORE_DOC_IDS.status;
  partnerId: string;
  type: 'score-status';
  schemaVersion: typeof SCORES_SCHEMA_VERSION;
  /** Date of the latest score document. */
  latestDate: string;
  areas: AreaSummary[];
  /** Hash of the latest score document, so a rerun with unchanged state writes nothing. */
  contentHash: string;
  stateVersion: number;
  computedAt: string;
  lastRunId?: string;
  reason: string;
  projectedLosses: ProjectedLoss[];
  /**
   * The latest day each area qualified, from the daily history: an area below 70 that qualified within its window
   * is eligible to enrol. Absent on documents written before it existed (seeded from the history then).
   */
  lastQualifiedOn?: Partial<Record<AreaId, string>>;
  _etag?: string;
}

/** One area on one day: total, qualified today, status. Kept terse: a month holds 31 days x 6 areas. */
export interface DayEntry {
  t: number;
  q: boolean;
  s: AreaStatus;
}

export interface HistoryDoc {
  id: string;
  partnerId: string;
  type: 'score-history';
  schemaVersion: typeof SCORES_SCHEMA_VERSION;
  month: string;
  days: Record<string, Partial<Record<AreaId, DayEntry>>>;
  _etag?: string;
}

export type AlertKind = 'status-changed' | 'designation-at-risk';

export interface Alert {
  id: string;
  kind: AlertKind;
  area: AreaId;
  /** The day the condition was detected. */
  date: string;
  createdAt: string;
  message: string;
  from?: AreaStatus;
  to?: AreaStatus;
  lossDate?: string;
  total: number;
  notification: { state: 'none' | 'pending' | 'delivered' | 'failed'; attempts: number; lastError?: string; deliveredAt?: string };
}

export interface AlertsDoc {
  id: typeof SCORE_DOC_IDS.alerts;
  partnerId: string;
  type: 'alerts';
  schemaVersion: typeof SCORES_SCHEMA_VERSION;
  items: Alert[];
  _etag?: string;
}

/** Alerts kept per partner (newest first); older ones have been delivered or are only of historical interest. */
export const MAX_ALERTS = 100;
