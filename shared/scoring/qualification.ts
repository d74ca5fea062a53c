import { addDays, addYears, firstDayOfMonth, lastDayOfMonth, monthIndex } from '../lib/dates';
import { scoreAreaWith } from './engine';
import { ScoringContext } from './context';
import { resolveRules } from './engine';
import { resolveSettings } from './settings';
import { eligibleUntilOf } from './certifications';
import { AREAS, type AreaId, type PartnerSnapshot, type PartnerSnapshotInput } from './snapshot';
import type { AreaStatus, Eligibility, ScoreOptions } from './types';

/**
 * The qualification window (ANN2309, PCS24, §14 B1): a partner not enrolled in an area is eligible if it qualified on
 * any day from the 1st of the month five full months back up to today; an enrolled partner's window is its anniversary
 * month and the five months before. One qualifying day latches eligibility for the window.
 */

export interface WindowBounds {
  start: string;
  end: string;
  kind: 'new' | 'renewal';
}

export function qualificationWindow(date: string, enrollment?: { anniversaryDate: string }): WindowBounds {
  if (enrollment) {
    const a = monthIndex(enrollment.anniversaryDate);
    return { start: firstDayOfMonth(a - 5), end: lastDayOfMonth(a), kind: 'renewal' };
  }
  return { start: firstDayOfMonth(monthIndex(date) - 5), end: date, kind: 'new' };
}

/**
 * The last day a qualifying day keeps a partner that is not enrolled eligible: the window of a later date starts on
 * the 1st of the month five full months back, so a day stays in it to the end of the fifth month after its own.
 */
export function eligibleUntilAfter(qualifiedOn: string): string {
  return lastDayOfMonth(monthIndex(qualifiedOn) + 5);
}

/**
 * The area's status once the qualification window is known: below 70 today, not enrolled, but qualified on a day
 * of the window, it is `eligible-to-enroll`. `lastQualifiedOn` is the latest qualifying day on or before the date
 * (from the stored daily history in the service, from scoreQualificationWindow in the CLI).
 */
export function withEligibility<A extends { status: AreaStatus; eligibility?: Eligibility }>(area: A, lastQualifiedOn: string | undefined, date: string): A {
  if (area.status !== 'in-progress' && area.status !== 'not-started') return area;
  if (!lastQualifiedOn || lastQualifiedOn > date) return area;
  const eligibleUntil = eligibleUntilAfter(lastQualifiedOn);
  if (date > eligibleUntil) return area;
  return { ...area, status: 'eligible-to-enroll', eligibility: { qualifiedOn: lastQualifiedOn, eligibleUntil } };
}

export interface DailyQualification {
  date: string;
  qualified: boolean;
  total?: number;
}

export interface WindowResult {
  window: WindowBounds;
  /** Days of the window evaluated so far (the window may end after the evaluation date). */
  evaluatedThrough: string;
  qualifiedOnAnyDay: boolean;
  qualifyingDays: number;
  firstQualifiedOn?: string;
  lastQualifiedOn?: string;
  highestTotal?: number;
}

/** Reads daily results (any order, any extra days) against a window. */
export function evaluateQualificationWindow(days: readonly DailyQualification[], window: WindowBounds, asOf?: string): WindowResult {
  const through = asOf && asOf < window.end ? asOf : window.end;
  let count = 0;
  let first: string | undefined;
  let last: string | undefined;
  let highest: number | undefined;
  for (const d of days) {
    if (d.date < window.start || d.date > through) continue;
    if (d.total !== undefined && (highest === undefined || d.total > highest)) highest = d.total;
    if (!d.qualified) continue;
    count++;
    if (!first || d.date < first) first = d.date;
    if (!last || d.date > last) last = d.date;
  }
  return {
    window,
    evaluatedThrough: through,
    qualifiedOnAnyDay: count > 0,
    qualifyingDays: count,
    ...(first ? { firstQualifiedOn: first } : {}),
    ...(last ? { lastQualifiedOn: last } : {}),
    ...(highest !== undefined ? { highestTotal: highest } : {}),
  };
}

export interface AreaWindowResult extends WindowResult {
  area: AreaId;
  days: DailyQualification[];
}

/**
 * Scores every day of each area's window up to `date`. The score can change only when a month starts or a
 * certification, link or association starts or ends, so only those days are scored and the result is carried forward.
 */
export function scoreQualificationWindow(snapshot: PartnerSnapshotInput | PartnerSnapshot, options: ScoreOptions & { areas?: readonly AreaId[] }): AreaWindowResult[] {
  const areas = options.areas ?? AREAS;
  const enrollments = snapshot.enrollments ?? [];
  const windows = new Map<AreaId, WindowBounds>();
  for (const area of areas) {
    const e = enrollments.find((x) => x.area === area && x.enrolledOn <= options.date && options.date < addDays(x.anniversaryDate, 31));
    windows.set(area, qualificationWindow(options.date, e));
  }
  let start = options.date;
  for (const w of windows.values()) if (w.start < start) start = w.start;
  const end = options.date;
  const changes = new Set<string>([start]);
  const settings = resolveSettings(options.settings);
  const add = (d: string | undefined) => {
    if (d && d > start && d <= end) changes.add(d);
  };
  for (let m = monthIndex(start) + 1; m <= monthIndex(end); m++) add(firstDayOfMonth(m));
  for (const p of snapshot.professionals ?? []) {
    add(p.linkedOn);
    add(p.unlinkedOn);
    for (const h of p.certifications ?? []) {
      add(settings.skillingLagDays > 0 ? addDays(h.earnedOn, settings.skillingLagDays) : h.earnedOn);
      if (h.expiresOn) add(addDays(h.expiresOn, 1));
      for (const r of h.renewals ?? []) if (r.expiresOn) add(addDays(r.expiresOn, 1));
      // Computed expiries (no expiresOn) fall on the earning anniversary.
      if (!h.expiresOn) for (let y = 1; y <= 5; y++) add(addDays(addYears(h.earnedOn, y), 1));
    }
  }
  for (const a of snapshot.associations ?? []) {
    add(a.startDate);
    add(a.endDate);
  }
  for (const e of enrollments) {
    add(e.enrolledOn);
    add(e.anniversaryDate);
  }
  const dayList = [...changes].sort();
  const points = new Map<AreaId, { date: string; qualified: boolean; total: number }[]>();
  for (const area of areas) points.set(area, []);
  for (const day of dayList) {
    const rules = resolveRules(day, options.ruleVersion);
    for (const c of rules.certifications) {
      const until = eligibleUntilOf(c);
      if (until) add(addDays(until, 1));
    }
    const ctx = new ScoringContext(snapshot as PartnerSnapshot, day, rules, settings);
    scoreDay(ctx, areas, points);
  }
  // Rule retirements found while scoring may add change days; score those too.
  const extra = [...changes].filter((d) => !dayList.includes(d)).sort();
  for (const day of extra) {
    scoreDay(new ScoringContext(snapshot as PartnerSnapshot, day, resolveRules(day, options.ruleVersion), settings), areas, points);
  }
  const all = [...changes].sort();
  return areas.map((area) => {
    const byDay = new Map(points.get(area)!.map((p) => [p.date, p]));
    // Expand change points into every day so callers can read a daily series.
    const days: DailyQualification[] = [];
    let cur = byDay.get(all[0]!)!;
    for (let d = start; d <= end; d = addDays(d, 1)) {
      const hit = byDay.get(d);
      if (hit) cur = hit;
      days.push({ date: d, qualified: cur.qualified, total: cur.total });
    }
    const window = windows.get(area)!;
    return { area, days: days.filter((d) => d.date >= window.start), ...evaluateQualificationWindow(days, window, options.date) };
  });
}

/** Scores each area on the context's day into `points`, then releases the context. */
function scoreDay(ctx: ScoringContext, areas: readonly AreaId[], points: Map<AreaId, { date: string; qualified: boolean; total: number }[]>): void {
  try {
    for (const area of areas) {
      const s = scoreAreaWith(ctx, area, false);
      points.get(area)!.push({ date: ctx.date, qualified: s.qualifiesToday, total: s.total });
    }
  } finally {
    ctx.release();
  }
}
