import type { Agg, TenantMonths } from '../context';
import type { Bound, Criterion, Measure, Range, Window } from '../rules/schema';

/** Evaluates "is this tenant (or tenant x workload) eligible" over a window, `shift` months earlier than the window says. */

export function inRange(v: number, r: Range): boolean {
  if (r.min && (r.min.inclusive ? v < r.min.value : v <= r.min.value)) return false;
  if (r.max && (r.max.inclusive ? v > r.max.value : v >= r.max.value)) return false;
  return true;
}

export function meets(v: number, b: Bound): boolean {
  return b.inclusive ? v >= b.value : v > b.value;
}

export function aboveMax(v: number, r: Range): boolean {
  return !!r.max && (r.max.inclusive ? v > r.max.value : v >= r.max.value);
}

/** Month indexes the window covers for an evaluation month `now`. */
export function windowMonths(w: Window, now: number, shift: number): number[] {
  switch (w.kind) {
    case 'month':
      return [now - w.monthsAgo - shift];
    case 'any-month':
      return w.monthsAgo.map((m) => now - m - shift);
    case 'ttm': {
      const end = now - w.monthsAgo - shift;
      const out: number[] = [];
      for (let m = end - 11; m <= end; m++) out.push(m);
      return out;
    }
  }
}

export function measureOf(a: Agg, m: Measure): number {
  return a[m];
}

/** Sum of a measure over all workloads in one month. */
export function monthTotal(t: TenantMonths, month: number, m: Measure): number {
  const w = t.get(month);
  if (!w) return 0;
  let s = 0;
  for (const a of w.values()) s += a[m];
  return s;
}

export interface CriterionResult {
  /** Eligible unit keys: '' for the tenant itself, or workload keys for per-workload criteria. */
  units: string[];
  /** The value compared (best workload or tenant total), for explanations. */
  value: number;
}

const NONE: CriterionResult = { units: [], value: 0 };

/**
 * Evaluates a criterion for one tenant. For 'any-month' windows the tenant is eligible if any listed month qualifies;
 * 'ttm' sums the twelve months per workload (or in total).
 */
export function evaluateCriterion(t: TenantMonths, c: Criterion, now: number, shift: number): CriterionResult {
  const base = evaluateRaw(t, c, now, shift);
  if (!c.promotedTenantRule || base.units.length > 0 || !aboveMax(base.value, c.range)) return base;
  // Promoted tenant: too large for the track now, but within it a year earlier, so it stays eligible.
  const before = evaluateRaw(t, c, now, shift + 12);
  if (before.units.length === 0) return base;
  return { units: c.by === 'per-workload' ? before.units : [''], value: base.value };
}

function evaluateRaw(t: TenantMonths, c: Criterion, now: number, shift: number): CriterionResult {
  if (c.window.kind === 'any-month') {
    let best: CriterionResult = NONE;
    const seen = new Set<string>();
    for (const m of c.window.monthsAgo) {
      const r = evaluateMonths(t, c, [now - m - shift]);
      if (r.value > best.value) best = { units: best.units, value: r.value };
      for (const u of r.units) seen.add(u);
    }
    return { units: [...seen], value: best.value };
  }
  return evaluateMonths(t, c, windowMonths(c.window, now, shift));
}

function evaluateMonths(t: TenantMonths, c: Criterion, months: number[]): CriterionResult {
  const m = c.measure;
  if (c.by === 'tenant-sum') {
    let v = 0;
    let paid = 0;
    let active = 0;
    for (const month of months) {
      const w = t.get(month);
      if (!w) continue;
      for (const a of w.values()) {
        v += a[m];
        paid += a.paidSeats;
        active += a.activeUsers;
      }
    }
    const ok = inRange(v, c.range) && (!c.activeShare || (paid > 0 && meets(active / paid, c.activeShare)));
    return { units: ok ? [''] : [], value: v };
  }
  // Per workload: sum the window per workload, then test each workload on its own.
  let perWorkload: Map<string, { v: number; paid: number; active: number }> | undefined;
  if (months.length === 1) {
    const w = t.get(months[0]!);
    if (!w) return NONE;
    perWorkload = new Map();
    for (const [k, a] of w) perWorkload.set(k, { v: a[m], paid: a.paidSeats, active: a.activeUsers });
  } else {
    perWorkload = new Map();
    for (const month of months) {
      const w = t.get(month);
      if (!w) continue;
      for (const [k, a] of w) {
        const cur = perWorkload.get(k);
        if (cur) {
          cur.v += a[m];
          cur.paid = Math.max(cur.paid, a.paidSeats);
          cur.active = Math.max(cur.active, a.activeUsers);
        } else perWorkload.set(k, { v: a[m], paid: a.paidSeats, active: a.activeUsers });
      }
    }
  }
  const units: string[] = [];
  let best = 0;
  for (const [k, x] of perWorkload) {
    if (x.v > best) best = x.v;
    if (!inRange(x.v, c.range)) continue;
    if (c.activeShare && !(x.paid > 0 && meets(x.active / x.paid, c.activeShare))) continue;
    units.push(k);
    if (c.by === 'any-workload') return { units: [''], value: x.v };
  }
  return { units: c.by === 'per-workload' ? units : [], value: best };
}
