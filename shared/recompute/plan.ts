import { scorePartner, withEligibility, type AreaId, type AreaScore, type ScoringSettings } from '../scoring';
import { toSnapshot, type LoadedState } from '../state/state-store';
import { forecastScores } from '../forecast/forecast';
import type { NewAlert } from '../alerts/alert-store';
import { addDays, monthOf } from '../lib/dates';
import type { AreaSummary, DayEntry, HistoryDoc, ProjectedLoss, ScoreDayDoc, ScoreStatusDoc } from '../score-history/documents';
import { contentHash, historyEntry, scoreDayDoc, summarize } from './score-documents';

/**
 * What one partner's recompute should write, decided without I/O from what was read: the state, the stored
 * status, the date, the settings and the clock. commit.ts performs the writes; the merge functions below are
 * the guards it applies to each document as read at write time (they run again after an etag conflict).
 */

/** How far ahead the nightly recompute looks for a designation that would be lost. */
export const AT_RISK_HORIZON_DAYS = 60;

export interface StatusChange {
  area: string;
  from: string;
  to: string;
}

export interface PlanInput {
  partnerId: string;
  state: LoadedState;
  /** The stored status as read before scoring; undefined before the partner's first result. */
  status: ScoreStatusDoc | undefined;
  /**
   * The latest day each area qualified before this one, from the stored daily history (the status carries it;
   * history documents seed it when an older status lacks it).
   */
  lastQualifiedOn?: Partial<Record<AreaId, string>>;
  date: string;
  settings: Partial<ScoringSettings>;
  now: Date;
  reason: string;
  runId?: string;
}

/** The status document's fields a recompute sets, when the day is the current one. */
export interface StatusUpdate {
  latestDate: string;
  areas: AreaSummary[];
  contentHash: string;
  stateVersion: number;
  computedAt: string;
  reason: string;
  lastRunId?: string;
  projectedLosses: ProjectedLoss[];
  lastQualifiedOn: Partial<Record<AreaId, string>>;
}

export type RecomputePlan =
  | {
      kind: 'nothing-changed';
      /** 'same-result': the status already holds this result; 'older-state': it holds a result of a newer state. */
      why: 'same-result' | 'older-state';
    }
  | {
      kind: 'write';
      day: ScoreDayDoc;
      history: { month: string; date: string; entry: Partial<Record<AreaId, DayEntry>> };
      alerts: NewAlert[];
      /** Where the alerts' notifications go; none: they are recorded only. */
      notificationUrl?: string;
      /** The partner's first result: it joins the nightly run's directory. */
      firstResult: boolean;
      /** Absent for a past day (an explicit date), which never moves the current status back. */
      status?: StatusUpdate;
      statusChanges: StatusChange[];
    };

/** True when `stored` was computed from a newer state than `stateVersion`: an older state never overwrites it. */
export const isNewerThan = (stored: { stateVersion: number } | undefined, stateVersion: number) => stored !== undefined && stored.stateVersion > stateVersion;

export function planRecompute(input: PlanInput): RecomputePlan {
  const { partnerId, state, status, date, settings } = input;
  const stateVersion = state.profile.stateVersion;
  const snapshot = toSnapshot(state);
  const scored = scorePartner(snapshot, { date, settings });
  const lastQualifiedOn = latestQualifyingDays(input.lastQualifiedOn ?? {}, scored.areas, date);
  // Below 70 today but qualified within the window: eligible to enrol (the engine alone sees only today).
  const score = { ...scored, areas: scored.areas.map((a) => withEligibility(a, lastQualifiedOn[a.area], date)) };
  const hash = contentHash(date, stateVersion, score);
  if (status && status.latestDate === date && status.contentHash === hash) return { kind: 'nothing-changed', why: 'same-result' };
  // Two recomputes of one partner at once: one that read an older state than the stored result writes nothing.
  if (status && status.latestDate === date && isNewerThan(status, stateVersion)) return { kind: 'nothing-changed', why: 'older-state' };

  const qualifying = score.areas.filter((a) => a.qualifiesToday).map((a) => a.area);
  let projectedLosses: ProjectedLoss[] = [];
  if (qualifying.length > 0 && !(status && status.latestDate > date)) {
    const f = forecastScores(snapshot, { date, settings, lossesOnly: true, months: 3, lossHorizon: addDays(date, AT_RISK_HORIZON_DAYS), areas: qualifying });
    projectedLosses = f.losses.map((l) => ({ area: l.area, lossDate: l.lossDate, reason: l.reason }));
  }

  // Status changes against the stored status; a past day (an explicit date) never moves the current status back.
  const current = !status || status.latestDate <= date;
  const statusChanges = status && current ? statusChangesOf(status, score.areas) : [];
  const alerts = [...statusChanges.map((c) => statusAlert(c, score.areas, date)), ...projectedLosses.map((l) => atRiskAlert(l, score.areas, date))];
  const month = monthOf(date);
  return {
    kind: 'write',
    day: scoreDayDoc(partnerId, date, stateVersion, score, input.now.toISOString()),
    history: { month, date, entry: historyEntry(score) },
    alerts,
    notificationUrl: state.profile.notificationUrl,
    firstResult: !status,
    ...(current
      ? {
          status: {
            latestDate: date,
            areas: score.areas.map(summarize),
            contentHash: hash,
            stateVersion,
            computedAt: input.now.toISOString(),
            reason: input.reason,
            lastRunId: input.runId,
            projectedLosses,
            lastQualifiedOn,
          },
        }
      : {}),
    statusChanges,
  };
}

/** The latest qualifying day of each area on or before `date`: the stored ones, and `date` for areas qualifying on it. */
function latestQualifyingDays(before: Partial<Record<AreaId, string>>, areas: readonly AreaScore[], date: string): Partial<Record<AreaId, string>> {
  const out = { ...before };
  for (const a of areas) if (a.qualifiesToday && !(out[a.area] && out[a.area]! >= date)) out[a.area] = date;
  return out;
}

/** The latest qualifying day of each area in stored history documents, for a status written before it kept them. */
export function lastQualifiedFromHistory(docs: readonly (HistoryDoc | undefined)[], before: string): Partial<Record<AreaId, string>> {
  const out: Partial<Record<AreaId, string>> = {};
  for (const doc of docs) {
    for (const [day, entry] of Object.entries(doc?.days ?? {})) {
      if (day >= before) continue;
      for (const [area, e] of Object.entries(entry) as [AreaId, DayEntry][]) if (e.q && !(out[area] && out[area]! >= day)) out[area] = day;
    }
  }
  return out;
}

function statusChangesOf(status: ScoreStatusDoc, areas: readonly AreaScore[]): StatusChange[] {
  const changes: StatusChange[] = [];
  for (const a of areas) {
    const before = status.areas.find((x) => x.area === a.area);
    if (before && before.status !== a.status) changes.push({ area: a.area, from: before.status, to: a.status });
  }
  return changes;
}

function statusAlert(c: StatusChange, areas: readonly AreaScore[], date: string): NewAlert {
  const a = areas.find((x) => x.area === c.area)!;
  return {
    id: `status:${c.area}:${date}:${c.to}`,
    kind: 'status-changed',
    area: a.area,
    date,
    from: c.from as AreaScore['status'],
    to: c.to as AreaScore['status'],
    total: a.total,
    message: `${a.name}: status changed from ${c.from} to ${c.to} (total ${a.total})`,
  };
}

function atRiskAlert(l: ProjectedLoss, areas: readonly AreaScore[], date: string): NewAlert {
  const a = areas.find((x) => x.area === l.area)!;
  return {
    id: `at-risk:${l.area}:${l.lossDate}`,
    kind: 'designation-at-risk',
    area: l.area,
    date,
    lossDate: l.lossDate,
    total: a.total,
    message: `${a.name}: projected to stop qualifying on ${l.lossDate} if nothing changes: ${l.reason}`,
  };
}

// The merge functions follow updateDoc's contract: mutate the document as read, return false to write nothing.

/** The planned day document replaces the stored one, unless that one was computed from a newer state. */
export function mergeDay(doc: ScoreDayDoc, day: ScoreDayDoc): boolean {
  if (isNewerThan(doc, day.stateVersion)) return false;
  Object.assign(doc, day);
  return true;
}

export function mergeHistoryDay(doc: HistoryDoc, history: { date: string; entry: Partial<Record<AreaId, DayEntry>> }): boolean {
  if (JSON.stringify(doc.days[history.date]) === JSON.stringify(history.entry)) return false;
  doc.days[history.date] = history.entry;
  return true;
}

/** The status moves only forward: never to an earlier day, nor to an older state's result of the same day. */
export function mergeStatus(doc: ScoreStatusDoc, update: StatusUpdate): boolean {
  const date = update.latestDate;
  if (doc.latestDate > date) return false;
  if (doc.latestDate === date && doc.contentHash === update.contentHash) return false;
  if (doc.latestDate === date && isNewerThan(doc, update.stateVersion)) return false;
  doc.latestDate = date;
  doc.areas = update.areas;
  doc.contentHash = update.contentHash;
  doc.stateVersion = update.stateVersion;
  doc.computedAt = update.computedAt;
  doc.reason = update.reason;
  if (update.lastRunId) doc.lastRunId = update.lastRunId;
  else delete doc.lastRunId;
  doc.projectedLosses = update.projectedLosses;
  doc.lastQualifiedOn = update.lastQualifiedOn;
  return true;
}
