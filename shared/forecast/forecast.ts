import {
  AREA_NAMES,
  AREAS,
  eligibleUntilOf,
  expiryOf,
  ruleSetFor,
  scorePartner,
  type AreaId,
  type AreaScore,
  type PartnerSnapshot,
  type ScoringSettings,
  type TelemetryRow,
} from '../scoring';
import { addDays, lastDayOfMonth, monthIndex, monthLabel } from '../lib/dates';

/**
 * What the scores will be if nothing changes: no new associations, people or certifications; certifications
 * expire and retire on their dates; associations end on their end dates; the trailing telemetry windows move on.
 *
 * Usage telemetry has two readings. 'carry-forward' (default) assumes customers keep using what they use
 * today, so the latest month repeats; 'none' assumes no new telemetry arrives at all, which drops every
 * usage metric once its window passes the last reported month (the strict "no new data" reading).
 */
export type TelemetryAssumption = 'carry-forward' | 'none';

export interface ForecastOptions {
  date: string;
  months?: number;
  telemetry?: TelemetryAssumption;
  settings?: Partial<ScoringSettings>;
  /** Only look for losses up to this date (nightly alerts look 60 days ahead); default: the last month end. */
  lossHorizon?: string;
  /** Areas to examine for losses; default: every area that qualifies today. */
  areas?: readonly AreaId[];
  /** Skip the month-end projections (the nightly alert check needs only the loss dates). */
  lossesOnly?: boolean;
}

export interface ForecastAreaPoint {
  area: AreaId;
  total: number;
  qualifies: boolean;
  status: AreaScore['status'];
  zeroMetrics: string[];
}

export interface ForecastLoss {
  area: AreaId;
  name: string;
  /** First day the area stops qualifying. */
  lossDate: string;
  /** What drops on that day, metric by metric. */
  reason: string;
  totalBefore: number;
  totalAfter: number;
}

export interface Forecast {
  partnerId: string;
  asOf: string;
  assumptions: string[];
  today: ForecastAreaPoint[];
  monthEnds: { date: string; areas: ForecastAreaPoint[] }[];
  losses: ForecastLoss[];
  firstLoss?: ForecastLoss;
}

const point = (a: AreaScore): ForecastAreaPoint => ({ area: a.area, total: a.total, qualifies: a.qualifiesToday, status: a.status, zeroMetrics: a.zeroMetrics });

/** Repeats the latest month's telemetry rows into every later month up to (but not including) the month of `until`. */
export function carryTelemetryForward(telemetry: readonly TelemetryRow[], until: string): TelemetryRow[] {
  if (telemetry.length === 0) return [...telemetry];
  let last = telemetry[0]!.month;
  for (const r of telemetry) if (r.month > last) last = r.month;
  const latest = telemetry.filter((r) => r.month === last);
  const out = [...telemetry];
  for (let m = monthIndex(last) + 1; m < monthIndex(until); m++) {
    const month = monthLabel(m);
    for (const r of latest) out.push({ ...r, month });
  }
  return out;
}

/** Days after `from` up to `to` on which a score can change without new data. */
export function changeDays(snapshot: PartnerSnapshot, from: string, to: string): string[] {
  const days = new Set<string>();
  const add = (d: string | undefined) => {
    if (d && d > from && d <= to) days.add(d);
  };
  for (let m = monthIndex(from) + 1; m <= monthIndex(to); m++) add(`${monthLabel(m)}-01`);
  const rules = ruleSetFor(from);
  const defs = new Map(rules.certifications.map((c) => [c.id, c]));
  for (const c of rules.certifications) {
    const until = eligibleUntilOf(c);
    if (until) add(addDays(until, 1));
  }
  for (const p of snapshot.professionals) {
    add(p.unlinkedOn);
    for (const h of p.certifications) {
      const expiry = expiryOf(h, defs.get(h.certificationId));
      if (expiry) add(addDays(expiry, 1));
    }
  }
  for (const a of snapshot.associations) add(a.endDate);
  for (const e of snapshot.enrollments) add(e.anniversaryDate);
  return [...days].sort();
}

function describeDrop(before: AreaScore, after: AreaScore): string {
  const parts: string[] = [];
  for (const m of after.metrics) {
    const b = before.metrics.find((x) => x.id === m.id);
    if (b && m.points < b.points - 1e-9) parts.push(`${m.name} ${round(b.points)} -> ${round(m.points)} points`);
  }
  const why = parts.length ? parts.join('; ') : 'the track or rule version changes';
  const zero = after.zeroMetrics.length ? ` (no points in ${after.zeroMetrics.join(', ')})` : '';
  return `${why}; total ${round(before.total)} -> ${round(after.total)}${zero}`;
}

const round = (n: number) => Math.round(n * 100) / 100;

export function forecastScores(snapshot: PartnerSnapshot, opts: ForecastOptions): Forecast {
  const months = opts.months ?? 6;
  const assumption = opts.telemetry ?? 'carry-forward';
  const m0 = monthIndex(opts.date);
  const ends: string[] = [];
  for (let i = 0; ends.length < months; i++) {
    const end = lastDayOfMonth(m0 + i);
    if (end > opts.date) ends.push(end);
  }
  const horizon = ends[ends.length - 1]!;
  const projected: PartnerSnapshot = assumption === 'carry-forward' ? { ...snapshot, telemetry: carryTelemetryForward(snapshot.telemetry, addDays(horizon, 1)) } : snapshot;
  const score = (date: string) => scorePartner(projected, { date, settings: opts.settings, includeGap: false });

  const today = score(opts.date);
  const monthEnds = opts.lossesOnly ? [] : ends.map((date) => ({ date, areas: score(date).areas.map(point) }));

  const watch = new Set<AreaId>((opts.areas ?? AREAS).filter((a) => today.areas.find((x) => x.area === a)?.qualifiesToday));
  const losses: ForecastLoss[] = [];
  if (watch.size > 0) {
    const lossHorizon = opts.lossHorizon && opts.lossHorizon < horizon ? opts.lossHorizon : horizon;
    let previous = new Map(today.areas.map((a) => [a.area, a]));
    for (const day of changeDays(projected, opts.date, lossHorizon)) {
      const s = score(day);
      for (const a of s.areas) {
        if (!watch.has(a.area) || a.qualifiesToday) continue;
        const before = previous.get(a.area)!;
        losses.push({ area: a.area, name: AREA_NAMES[a.area], lossDate: day, reason: describeDrop(before, a), totalBefore: before.total, totalAfter: a.total });
        watch.delete(a.area);
      }
      if (watch.size === 0) break;
      previous = new Map(s.areas.map((a) => [a.area, a]));
    }
  }
  losses.sort((a, b) => a.lossDate.localeCompare(b.lossDate) || a.area.localeCompare(b.area));
  return {
    partnerId: snapshot.partnerId,
    asOf: opts.date,
    assumptions: [
      'no new associations, professionals or certifications',
      'certifications expire and retire on their dates; associations end on their end dates',
      assumption === 'carry-forward'
        ? 'customers keep their latest reported monthly usage (the latest telemetry month repeats); older months leave the trailing windows'
        : 'no new telemetry arrives: usage metrics fall as their windows move past the latest reported month',
    ],
    today: today.areas.map(point),
    monthEnds,
    losses,
    ...(losses[0] ? { firstLoss: losses[0] } : {}),
  };
}
