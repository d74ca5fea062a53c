import { AREA_NAMES, evaluateQualificationWindow, type AreaId, type DailyQualification } from '../scoring';
import { DOC_IDS, type ProfileDoc } from '../state/documents';
import { readStateDoc } from '../state/state-store';
import { daysBetween, firstDayOfMonth, monthIndex, monthsBetween, todayUtc } from '../lib/dates';
import { gunzipSync } from 'node:zlib';
import type { AreaSummary, ProjectedLoss, ScoreDayDoc, StoredAreaScore } from './documents';
import { readHistory, readScoreDay, readScoreStatus } from './score-store';

/** The longest history range one request may ask for (a qualification window is at most about 184 days). */
export const MAX_HISTORY_DAYS = 400;

export type ReadError = { kind: 'unknown-partner' | 'not-computed' | 'no-score-on-date'; message: string };
export type ReadResult<T> = { ok: true; value: T } | { ok: false; error: ReadError };

async function missing(partnerId: string): Promise<ReadError> {
  const profile = await readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile);
  return profile
    ? { kind: 'not-computed', message: `Partner ${partnerId} has no scores yet: a recompute runs seconds after every change and every night.` }
    : { kind: 'unknown-partner', message: `No partner ${partnerId}: nothing was submitted for it yet.` };
}

export function decodeBreakdown(doc: Pick<ScoreDayDoc, 'breakdown'>): StoredAreaScore[] {
  return JSON.parse(gunzipSync(Buffer.from(doc.breakdown.data, 'base64')).toString('utf8')) as StoredAreaScore[];
}

/**
 * How fresh a score answer is (issue 16): `stateVersion` of the state it scored, the partner's `currentStateVersion`
 * now, and `scoredAt`, when it was computed (null on a stored day older than that record). A client that knows the
 * version its change produced (the delivery status says it) sees at once whether the answer includes the change.
 */
export interface Freshness {
  stateVersion: number;
  currentStateVersion: number;
  scoredAt: string | null;
}

/** The partner's state version now; 0 before anything was stored for it. */
async function currentStateVersion(partnerId: string): Promise<number> {
  return (await readStateDoc<ProfileDoc>(partnerId, DOC_IDS.profile))?.stateVersion ?? 0;
}

export interface ScoresView extends Freshness {
  partnerId: string;
  date: string;
  /** The same time as scoredAt (kept for existing clients). */
  computedAt: string;
  areas: AreaSummary[];
  projectedLosses: ProjectedLoss[];
}

/** Every area's total, status and metric points as of the latest stored day. Two point reads, side by side. */
export async function getScores(partnerId: string): Promise<ReadResult<ScoresView>> {
  const [status, current] = await Promise.all([readScoreStatus(partnerId), currentStateVersion(partnerId)]);
  if (!status) return { ok: false, error: await missing(partnerId) };
  return {
    ok: true,
    value: { partnerId, date: status.latestDate, stateVersion: status.stateVersion, currentStateVersion: current, scoredAt: status.computedAt, computedAt: status.computedAt, areas: status.areas, projectedLosses: status.projectedLosses },
  };
}

/** One area's full breakdown (explanations, gap to qualify) on a stored day; the latest by default. */
export async function getBreakdown(partnerId: string, area: AreaId, date?: string): Promise<ReadResult<{ partnerId: string; date: string; breakdown: StoredAreaScore } & Freshness>> {
  const current = currentStateVersion(partnerId);
  current.catch(() => undefined); // awaited below on the path that answers; not left unhandled on the others
  let day = date;
  if (!day) {
    const status = await readScoreStatus(partnerId);
    if (!status) return { ok: false, error: await missing(partnerId) };
    day = status.latestDate;
  }
  const doc = await readScoreDay(partnerId, day);
  if (!doc) {
    const err = await missing(partnerId);
    if (err.kind === 'unknown-partner') return { ok: false, error: err };
    return { ok: false, error: { kind: 'no-score-on-date', message: `No score of partner ${partnerId} is stored for ${day}: scores are stored for each day a recompute ran.` } };
  }
  const breakdown = decodeBreakdown(doc).find((a) => a.area === area);
  if (!breakdown) return { ok: false, error: { kind: 'no-score-on-date', message: `The score of ${day} has no ${area} area.` } };
  return { ok: true, value: { partnerId, date: day, stateVersion: doc.stateVersion, currentStateVersion: await current, scoredAt: doc.computedAt ?? null, breakdown } };
}

/** A history's freshness is that of the latest stored score (the last day of the range may be older). */
export interface HistoryView extends Freshness {
  partnerId: string;
  area: AreaId;
  name: string;
  from: string;
  to: string;
  days: { date: string; total: number; qualified: boolean; status: string }[];
  /** Highest total of each month of the range (months with no stored day are absent). */
  months: { month: string; highest: number; qualifiedDays: number; daysWithScores: number }[];
  qualifiedOnAnyDay: boolean;
  qualifyingDays: number;
  firstQualifiedOn?: string;
  lastQualifiedOn?: string;
  highestTotal?: number;
  /** Days of the range with no stored score (before the partner was first computed, or a missed night). */
  daysWithoutScore: number;
}

/** The default range: the qualification window (the current month and the five before, up to today). */
export function defaultHistoryRange(today: string): { from: string; to: string } {
  return { from: firstDayOfMonth(monthIndex(today) - 5), to: today };
}

export function checkHistoryRange(from: string, to: string): string | undefined {
  if (from > to) return `from (${from}) is after to (${to})`;
  const days = daysBetween(from, to) + 1;
  if (days > MAX_HISTORY_DAYS) return `the range ${from}..${to} is ${days} days; at most ${MAX_HISTORY_DAYS} days can be read at once`;
  return undefined;
}

/** Fills in the defaults: a missing `from` is the start of the window ending at `to`. */
export function resolveHistoryRange(range: { from?: string; to?: string }, today = todayUtc()): { from: string; to: string } {
  const def = defaultHistoryRange(today);
  const to = range.to ?? def.to;
  const from = range.from ?? (range.to ? firstDayOfMonth(monthIndex(range.to) - 5) : def.from);
  return { from, to };
}

/** Daily totals from the monthly history documents (one point read per month) and the window verdict over them. Check the range first. */
export async function getHistory(partnerId: string, area: AreaId, range: { from: string; to: string }): Promise<ReadResult<HistoryView>> {
  const { from, to } = range;
  const months = monthsBetween(from, to);
  const [docs, status, current] = await Promise.all([Promise.all(months.map((m) => readHistory(partnerId, m))), readScoreStatus(partnerId), currentStateVersion(partnerId)]);
  if (docs.every((d) => !d)) {
    const err = await missing(partnerId);
    if (err.kind === 'unknown-partner') return { ok: false, error: err };
  }
  const days: HistoryView['days'] = [];
  for (const doc of docs) {
    if (!doc) continue;
    for (const [date, entry] of Object.entries(doc.days)) {
      const e = entry[area];
      if (!e || date < from || date > to) continue;
      days.push({ date, total: e.t, qualified: e.q, status: e.s });
    }
  }
  days.sort((a, b) => a.date.localeCompare(b.date));
  const byMonth = new Map<string, HistoryView['months'][number]>();
  for (const d of days) {
    const m = d.date.slice(0, 7);
    const cur = byMonth.get(m) ?? { month: m, highest: d.total, qualifiedDays: 0, daysWithScores: 0 };
    cur.highest = Math.max(cur.highest, d.total);
    cur.daysWithScores++;
    if (d.qualified) cur.qualifiedDays++;
    byMonth.set(m, cur);
  }
  const daily: DailyQualification[] = days.map((d) => ({ date: d.date, qualified: d.qualified, total: d.total }));
  const verdict = evaluateQualificationWindow(daily, { start: from, end: to, kind: 'new' });
  return {
    ok: true,
    value: {
      partnerId,
      area,
      name: AREA_NAMES[area],
      stateVersion: status?.stateVersion ?? 0,
      currentStateVersion: current,
      scoredAt: status?.computedAt ?? null,
      from,
      to,
      days,
      months: [...byMonth.values()],
      qualifiedOnAnyDay: verdict.qualifiedOnAnyDay,
      qualifyingDays: verdict.qualifyingDays,
      ...(verdict.firstQualifiedOn ? { firstQualifiedOn: verdict.firstQualifiedOn } : {}),
      ...(verdict.lastQualifiedOn ? { lastQualifiedOn: verdict.lastQualifiedOn } : {}),
      ...(verdict.highestTotal !== undefined ? { highestTotal: verdict.highestTotal } : {}),
      daysWithoutScore: daysBetween(from, to) + 1 - days.length,
    },
  };
}

