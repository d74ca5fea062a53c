import { MEASURE_INDEX, SPAN, type Slot } from '../slots';
import type { TenantSeries } from '../source-data';
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

function aboveMax(v: number, r: Range): boolean {
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

/** One workload's value of a measure in one month (0 outside the months the engine reads). */
export function valueAt(values: Slot, now: number, month: number, m: Measure): number {
  const ago = now - month;
  if (ago < 1 || ago >= SPAN) return 0;
  return values.buffer[values.offset + MEASURE_INDEX[m] * SPAN + ago]!;
}

/** Sum of a measure over all workloads of a tenant in one month. */
export function monthTotal(t: TenantSeries, month: number, m: Measure): number {
  const ago = t.now - month;
  if (ago < 1 || ago >= SPAN) return 0;
  const off = MEASURE_INDEX[m] * SPAN + ago;
  let s = 0;
  const slots = t.slots;
  for (let i = t.start; i < t.end; i++) {
    const v = slots[i]!;
    s += v.buffer[v.offset + off]!;
  }
  return s;
}

/**
 * The value behind the last evaluateCriterion call (best workload or tenant total), for explanations; avoids an object
 * per call. `shareFailed`: the best active share among workloads (or the tenant) that met the range but not the active
 * share, or -1 when none did, so an explanation can name the condition that failed.
 */
export const lastEvaluation = { value: 0, shareFailed: -1, shareValue: 0 };

/**
 * Evaluates a criterion for one tenant and returns how many units are eligible (0 or 1 for tenant-level criteria).
 * Per-workload criteria push the eligible workload keys into `units` when given. For 'any-month' windows the tenant
 * is eligible if any listed month qualifies; 'ttm' sums the twelve months per workload (or in total).
 */
export function evaluateCriterion(t: TenantSeries, c: Criterion, _now: number, shift: number, units?: string[]): number {
  const mark = units ? units.length : 0;
  const n = evaluateRaw(t, c, shift, units);
  if (n > 0 || !c.promotedTenantRule || !aboveMax(lastEvaluation.value, c.range)) return n;
  // Promoted tenant: too large for the track now, but within it a year earlier, so it stays eligible.
  const value = lastEvaluation.value;
  const shareFailed = lastEvaluation.shareFailed;
  if (units) units.length = mark;
  const before = evaluateRaw(t, c, shift + 12, units);
  lastEvaluation.value = value;
  lastEvaluation.shareFailed = shareFailed;
  return before;
}

function evaluateRaw(t: TenantSeries, c: Criterion, shift: number, units: string[] | undefined): number {
  const w = c.window;
  if (w.kind === 'any-month') {
    let best = 0;
    let n = 0;
    const months = w.monthsAgo;
    for (let mi = 0; mi < months.length; mi++) {
      const m = months[mi]!;
      const mark = units ? units.length : 0;
      const k = evaluateSpan(t, c, m + shift, 1, units);
      if (lastEvaluation.value > best) best = lastEvaluation.value;
      if (c.by !== 'per-workload') {
        if (k > 0) n = 1;
        continue;
      }
      if (units) {
        // Keep each workload once across the months.
        let write = mark;
        for (let i = mark; i < units.length; i++) if (units.indexOf(units[i]!) === i) units[write++] = units[i]!;
        units.length = write;
        n = units.length;
      } else n = Math.max(n, k);
    }
    lastEvaluation.value = best;
    return n;
  }
  return evaluateSpan(t, c, w.monthsAgo + shift, w.kind === 'ttm' ? 12 : 1, units);
}

/** Months `ago` .. `ago + count - 1` back. */
function evaluateSpan(t: TenantSeries, c: Criterion, ago: number, count: number, units: string[] | undefined): number {
  const mOff = MEASURE_INDEX[c.measure] * SPAN;
  const from = Math.max(1, ago);
  const to = Math.min(SPAN - 1, ago + count - 1);
  lastEvaluation.value = 0;
  lastEvaluation.shareFailed = -1;
  if (from > to) return 0;
  const share = c.activeShare;
  if (c.by === 'tenant-sum') {
    let v = 0;
    let paid = 0;
    let active = 0;
    for (let w = t.start; w < t.end; w++) {
      const slot = t.slots[w]!;
      const arr = slot.buffer;
      const o = slot.offset;
      for (let i = from; i <= to; i++) v += arr[o + mOff + i]!;
      if (share) {
        paid += arr[o + 2 * SPAN + from]!;
        active += arr[o + 3 * SPAN + from]!;
      }
    }
    lastEvaluation.value = v;
    if (!inRange(v, c.range)) return 0;
    if (share && !(paid > 0 && meets(active / paid, share))) {
      lastEvaluation.shareFailed = paid > 0 ? active / paid : 0;
      lastEvaluation.shareValue = v;
      return 0;
    }
    return 1;
  }
  let n = 0;
  let best = 0;
  for (let w = t.start; w < t.end; w++) {
    const slot = t.slots[w]!;
    const arr = slot.buffer;
    const o = slot.offset;
    let v = 0;
    for (let i = from; i <= to; i++) v += arr[o + mOff + i]!;
    if (v > best) best = v;
    if (!inRange(v, c.range)) continue;
    if (share) {
      // Active share is judged on the window's latest month.
      const paid = arr[o + 2 * SPAN + from]!;
      const ratio = paid > 0 ? arr[o + 3 * SPAN + from]! / paid : 0;
      if (!(paid > 0 && meets(ratio, share))) {
        if (ratio > lastEvaluation.shareFailed) {
          lastEvaluation.shareFailed = ratio;
          lastEvaluation.shareValue = v;
        }
        continue;
      }
    }
    if (c.by === 'any-workload') {
      lastEvaluation.value = v;
      return 1;
    }
    n++;
    if (units) units.push(t.keys[w]!);
  }
  lastEvaluation.value = best;
  return n;
}
