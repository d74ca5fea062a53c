import { monthIndex } from '../lib/dates';
import type { Source } from './rules/schema';
import { SPAN } from './slots';
import type { Association, AssociationType, PartnerSnapshot } from './snapshot';
import { workloadKey, type Stream } from './telemetry-streams';

/** Which telemetry a rule source accepts, and how a stream's associations are matched against it. */

export interface CompiledSource {
  source: Source;
  include: Set<string> | 'all';
  exclude: Set<string>;
  offers: Set<string>;
  types: Set<AssociationType>;
  kinds: Set<string>;
  /** The accepted association kinds in words, for explanations. */
  accepts: string;
}

/**
 * Module-level so a source is compiled once, not once per call. Keyed weakly by the rule set's own Source objects:
 * the registry's rule sets live for the process (a few hundred sources in all), and a rule set a caller loads
 * itself takes its entries with it when it is collected, so the size is bounded by the rule sets alive.
 */
const compiledSources = new WeakMap<Source, CompiledSource>();

export function compileSource(source: Source): CompiledSource {
  let c = compiledSources.get(source);
  if (!c) {
    const types = new Set<AssociationType>();
    for (const k of source.associations) types.add((k.startsWith('CPOR:') ? 'CPOR' : k) as AssociationType);
    c = {
      source,
      include: source.workloads.include === 'all' ? 'all' : new Set(source.workloads.include.map(workloadKey)),
      exclude: new Set(source.workloads.exclude.map(workloadKey)),
      offers: new Set(source.excludedOffers),
      types,
      kinds: new Set(source.associations),
      accepts: source.associations.join(', '),
    };
    compiledSources.set(source, c);
  }
  return c;
}

/** Same reason and bound as compiledSources: the memo key of a source, computed once per Source object. */
const sourceKeys = new WeakMap<Source, string>();

/** Equal sources in different areas share one key, so their per-call aggregates are built once. */
export function sourceKey(s: Source): string {
  let k = sourceKeys.get(s);
  if (!k) {
    k = JSON.stringify(s);
    sourceKeys.set(s, k);
  }
  return k;
}

/**
 * An association the engine may use on the date: in place on the date (`activeNow`), or in place during one of the
 * months the engine reads (an association that has ended still tells who was a customer a year ago).
 */
export interface ActiveAssociation {
  association: Association;
  /** 'PAL', 'CSP', 'DPOR' or 'CPOR:<role>', as rule sources name them. */
  kind: string;
  /** Start month (index) of the period in place on the date; meaningful only when activeNow. */
  start: number;
  activeNow: boolean;
  /** Bit i set: in place on at least one day of the month i months before the evaluation month (i = 1 .. SPAN-1). */
  months: number;
  workloadKeys: string[] | undefined;
}

/** Bits of the months a year-ago window can read (13 months back and further); see yearAgoMask in context.ts. */
export const YEAR_AGO_MONTHS = monthBits(13, SPAN - 1);
/** Bits of the months of the current year (1 to 12 months back): judged by the associations in place on the date. */
export const CURRENT_YEAR_MONTHS = monthBits(1, 12);

function monthBits(fromAgo: number, toAgo: number): number {
  let m = 0;
  for (let i = fromAgo; i <= toAgo; i++) m |= 1 << i;
  return m;
}

/** Months (as bits of months-ago) in which a period [startDate, endDate) had at least one day. */
function periodMonths(startDate: string, endDate: string | undefined, monthNow: number, date: string): number {
  if (startDate > date) return 0;
  const first = monthIndex(startDate);
  // endDate is the first day no longer in place: ending on the 1st leaves the month before as the last one.
  const last = endDate === undefined ? monthNow : monthIndex(endDate) - (endDate.endsWith('-01') ? 1 : 0);
  const from = Math.max(1, monthNow - last);
  const to = Math.min(SPAN - 1, monthNow - first);
  return from > to ? 0 : monthBits(from, to);
}

/**
 * The snapshot's associations by tenant: those in place on the date, and those (or earlier periods of them) that
 * were in place in a month the engine reads. Pending and rejected ones never count, so they are dropped here once.
 */
export function activeAssociationsByTenant(snapshot: PartnerSnapshot, date: string): Map<string, ActiveAssociation[]> {
  const byTenant = new Map<string, ActiveAssociation[]>();
  const monthNow = monthIndex(date);
  for (const a of snapshot.associations ?? []) {
    const status = a.status ?? 'active';
    const activeNow = status === 'active' && a.startDate <= date && (a.endDate === undefined || a.endDate > date);
    // Only an active or ended association was ever in place in its current period; an ended one without its end
    // date cannot be placed in time, so that period counts in no month.
    let months = status === 'active' || (status === 'ended' && a.endDate !== undefined) ? periodMonths(a.startDate, a.endDate, monthNow, date) : 0;
    for (const p of a.earlierPeriods ?? []) months |= periodMonths(p.startDate, p.endDate, monthNow, date);
    if (!activeNow && months === 0) continue;
    const rec: ActiveAssociation = {
      association: a,
      kind: a.type === 'CPOR' ? `CPOR:${a.role ?? ''}` : a.type,
      start: monthIndex(a.startDate),
      activeNow,
      months,
      workloadKeys: a.workloads && a.workloads.length > 0 ? a.workloads.map(workloadKey) : undefined,
    };
    const list = byTenant.get(a.tenantId);
    if (list) list.push(rec);
    else byTenant.set(a.tenantId, [rec]);
  }
  return byTenant;
}

/**
 * Which association kinds a stream has (type, CPOR role, workload and subscription match), once per stream: per
 * kind, whether one is in place on the date (with its earliest start month) and the months any was in place.
 */
export function matchAssociations(st: Stream, associationsByTenant: ReadonlyMap<string, ActiveAssociation[]>): void {
  st.associationsMatched = true;
  const list = associationsByTenant.get(st.tenantId);
  if (!list) return;
  for (const rec of list) {
    const a = rec.association;
    if (a.type !== st.associationType) continue;
    if (rec.workloadKeys && !rec.workloadKeys.includes(st.key)) continue;
    if (a.subscriptionId && st.subscriptionId && a.subscriptionId !== st.subscriptionId) continue;
    if (st.firstKind === undefined || st.firstKind === rec.kind) {
      if (st.firstKind === undefined) {
        st.firstKind = rec.kind;
        st.firstKindStart = -1;
        st.firstKindMonths = 0;
      }
      if (rec.activeNow && (st.firstKindStart < 0 || rec.start < st.firstKindStart)) st.firstKindStart = rec.start;
      st.firstKindMonths |= rec.months;
    } else {
      // A second kind on the same stream (two CPOR roles) is rare, so it lives in arrays only then.
      st.otherKinds ??= [];
      st.otherKindStarts ??= [];
      st.otherKindMonths ??= [];
      let at = st.otherKinds.indexOf(rec.kind);
      if (at < 0) {
        at = st.otherKinds.push(rec.kind) - 1;
        st.otherKindStarts.push(-1);
        st.otherKindMonths.push(0);
      }
      if (rec.activeNow && (st.otherKindStarts[at]! < 0 || rec.start < st.otherKindStarts[at]!)) st.otherKindStarts[at] = rec.start;
      st.otherKindMonths[at]! |= rec.months;
    }
  }
}
