import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { appScoringSettings } from '../config/scoring';
import { registerPartner } from './directory';
import { clearRecomputePending } from './request';
import { scorePartner, type AreaScore, type MetricScore, type PartnerScore, type PartnerSnapshot, type ScoringSettings } from '../scoring';
import { loadPartnerState, toSnapshot, type LoadedState } from '../state/state-store';
import { RequestCharges } from '../store/request-charges';
import { forecastScores } from '../forecast/forecast';
import { recordAlerts, type NewAlert } from '../alerts/alert-store';
import { addDays, monthOf } from '../lib/dates';
import {
  MAX_STORED_EXPLANATION_LINES,
  SCORE_DOC_IDS,
  SCORES_SCHEMA_VERSION,
  type AreaSummary,
  type HistoryDoc,
  type ProjectedLoss,
  type ScoreDayDoc,
  type ScoreStatusDoc,
  type StoredAreaScore,
} from '../score-history/documents';
import { readHistory, readScoreStatus, updateDoc } from '../score-history/score-store';

/** How far ahead the nightly recompute looks for a designation that would be lost. */
export const AT_RISK_HORIZON_DAYS = 60;

function capMetric(m: MetricScore): MetricScore {
  if (m.explanation.length <= MAX_STORED_EXPLANATION_LINES) return m;
  const kept = m.explanation.slice(0, MAX_STORED_EXPLANATION_LINES);
  kept.push({ kind: 'note', subject: m.name, reason: `${m.explanation.length - MAX_STORED_EXPLANATION_LINES} more lines not stored; POST /simulate with no changes returns them all` });
  return { ...m, explanation: kept };
}

const metricSummary = (m: MetricScore) => ({ id: m.id, name: m.name, points: m.points, max: m.max });

/** The stored breakdown: the engine's output, with explanation lists capped so one document stays well below 2 MB. */
export function storedAreas(score: PartnerScore): StoredAreaScore[] {
  return score.areas.map((a) => ({
    ...a,
    metrics: a.metrics.map(capMetric),
    ...(a.tracks ? { tracks: a.tracks.map((t) => ({ track: t.track, total: t.total, qualifies: t.qualifies, metrics: t.metrics.map(metricSummary) })) } : {}),
  }));
}

export function encodeBreakdown(areas: StoredAreaScore[]): ScoreDayDoc['breakdown'] {
  return { encoding: 'gzip+base64', data: gzipSync(JSON.stringify(areas), { level: 6 }).toString('base64') };
}

export function summarize(a: AreaScore): AreaSummary {
  return {
    area: a.area,
    name: a.name,
    total: a.total,
    status: a.status,
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

export interface RecomputeResult {
  outcome: 'done' | 'unknown-partner';
  date: string;
  /** False when the stored documents already held exactly this result (a rerun wrote nothing). */
  changed: boolean;
  statusChanges: { area: string; from: string; to: string }[];
  /** Alerts whose notification should be (re)sent. */
  notify: string[];
  charges: RequestCharges;
}

export interface RecomputeOptions {
  date: string;
  reason: string;
  runId?: string;
  now?: Date;
  charges?: RequestCharges;
}

async function loadFresh(partnerId: string, charges: RequestCharges): Promise<LoadedState | undefined> {
  const state = await loadPartnerState(partnerId, charges);
  // Clearing the coalescing flag before the read that is scored means a change after it asks for a new recompute.
  // Nightly runs mostly find no flag, and skip the extra read and write.
  if (state?.profile.recomputePendingSince) {
    await clearRecomputePending(partnerId, charges);
    return loadPartnerState(partnerId, charges);
  }
  return state;
}

/**
 * Recomputes all six areas of one partner for `date` and stores the day's score document, the month's
 * history entry and the current status. Idempotent: the same state on the same day yields the same
 * documents, and a rerun that would change nothing writes nothing.
 */
export async function recomputePartner(partnerId: string, opts: RecomputeOptions): Promise<RecomputeResult> {
  const charges = opts.charges ?? new RequestCharges();
  const now = opts.now ?? new Date();
  const date = opts.date;
  const [state, status, history] = await Promise.all([loadFresh(partnerId, charges), readScoreStatus(partnerId, charges), readHistory(partnerId, monthOf(date), charges)]);
  if (!state) return { outcome: 'unknown-partner', date, changed: false, statusChanges: [], notify: [], charges };

  const snapshot: PartnerSnapshot = toSnapshot(state);
  const settings = appScoringSettings();
  const score = scorePartner(snapshot, { date, settings });
  const areas = storedAreas(score);
  const hash = contentHash(date, state.profile.stateVersion, score);
  if (status && status.latestDate === date && status.contentHash === hash) {
    return { outcome: 'done', date, changed: false, statusChanges: [], notify: [], charges };
  }
  // Two recomputes of one partner at once: one that read an older state than the stored result writes nothing.
  const older = (s: { stateVersion: number } | undefined) => s !== undefined && s.stateVersion > state.profile.stateVersion;
  if (status && status.latestDate === date && older(status)) {
    return { outcome: 'done', date, changed: false, statusChanges: [], notify: [], charges };
  }

  const dayDoc: ScoreDayDoc = {
    id: SCORE_DOC_IDS.day(date),
    partnerId,
    type: 'score',
    schemaVersion: SCORES_SCHEMA_VERSION,
    date,
    ruleVersion: score.ruleVersion,
    stateVersion: state.profile.stateVersion,
    areas: score.areas.map(summarize),
    breakdown: encodeBreakdown(areas),
  };

  const qualifying = score.areas.filter((a) => a.qualifiesToday).map((a) => a.area);
  let projectedLosses: ProjectedLoss[] = [];
  if (qualifying.length > 0 && !(status && status.latestDate > date)) {
    const f = forecastScores(snapshot, { date, settings, lossesOnly: true, months: 3, lossHorizon: addDays(date, AT_RISK_HORIZON_DAYS), areas: qualifying });
    projectedLosses = f.losses.map((l) => ({ area: l.area, lossDate: l.lossDate, reason: l.reason }));
  }

  // Status changes against the stored status; a past day (an explicit date) never moves the current status back.
  const current = !status || status.latestDate <= date;
  const statusChanges: RecomputeResult['statusChanges'] = [];
  if (status && current) {
    for (const a of score.areas) {
      const before = status.areas.find((x) => x.area === a.area);
      if (before && before.status !== a.status) statusChanges.push({ area: a.area, from: before.status, to: a.status });
    }
  }
  const alerts: NewAlert[] = [];
  for (const c of statusChanges) {
    const a = score.areas.find((x) => x.area === c.area)!;
    alerts.push({
      id: `status:${c.area}:${date}:${c.to}`,
      kind: 'status-changed',
      area: a.area,
      date,
      from: c.from as AreaScore['status'],
      to: c.to as AreaScore['status'],
      total: a.total,
      message: `${a.name}: status changed from ${c.from} to ${c.to} (total ${a.total})`,
    });
  }
  for (const l of projectedLosses) {
    const a = score.areas.find((x) => x.area === l.area)!;
    alerts.push({
      id: `at-risk:${l.area}:${l.lossDate}`,
      kind: 'designation-at-risk',
      area: l.area,
      date,
      lossDate: l.lossDate,
      total: a.total,
      message: `${a.name}: projected to stop qualifying on ${l.lossDate} if nothing changes: ${l.reason}`,
    });
  }

  // The day's score, its history entry and the alerts are independent and idempotent: written concurrently.
  // The status goes last: once it holds this result, a rerun finds nothing to do, so everything before it is
  // in place (a crash before it reruns the whole set, and alert ids make the alerts come out the same).
  const [, , notify] = await Promise.all([
    updateDoc<ScoreDayDoc>(partnerId, dayDoc.id, () => dayDoc, (doc) => (older(doc) ? false : (Object.assign(doc, dayDoc), true)), { charges }),
    updateDoc<HistoryDoc>(
      partnerId,
      SCORE_DOC_IDS.history(monthOf(date)),
      () => ({ id: SCORE_DOC_IDS.history(monthOf(date)), partnerId, type: 'score-history', schemaVersion: SCORES_SCHEMA_VERSION, month: monthOf(date), days: {} }),
      (doc) => {
        const entry = Object.fromEntries(score.areas.map((a) => [a.area, { t: a.total, q: a.qualifiesToday, s: a.status }]));
        if (JSON.stringify(doc.days[date]) === JSON.stringify(entry)) return false;
        doc.days[date] = entry;
        return true;
      },
      { charges, current: history ?? null },
    ),
    alerts.length ? recordAlerts(partnerId, alerts, { notificationUrl: state.profile.notificationUrl, now, charges }) : Promise.resolve([] as string[]),
  ]);
  // The first result of a partner puts it in the nightly run's directory: before the status (the commit point),
  // so a failure here is retried by the redelivered message instead of being skipped as "unchanged".
  if (!status) await registerPartner(partnerId, charges);
  if (current) {
    await updateDoc<ScoreStatusDoc>(
      partnerId,
      SCORE_DOC_IDS.status,
      () => ({ id: SCORE_DOC_IDS.status, partnerId, type: 'score-status', schemaVersion: SCORES_SCHEMA_VERSION, latestDate: date, areas: [], contentHash: '', stateVersion: 0, computedAt: '', reason: '', projectedLosses: [] }),
      (doc) => {
        if (doc.latestDate > date) return false;
        if (doc.latestDate === date && doc.contentHash === hash) return false;
        if (doc.latestDate === date && older(doc)) return false;
        doc.latestDate = date;
        doc.areas = score.areas.map(summarize);
        doc.contentHash = hash;
        doc.stateVersion = state.profile.stateVersion;
        doc.computedAt = now.toISOString();
        doc.reason = opts.reason;
        if (opts.runId) doc.lastRunId = opts.runId;
        else delete doc.lastRunId;
        doc.projectedLosses = projectedLosses;
        return true;
      },
      { charges, current: status ?? null },
    );
  }
  return { outcome: 'done', date, changed: true, statusChanges, notify, charges };
}
