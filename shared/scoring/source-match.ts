import { monthIndex } from '../lib/dates';
import type { Source } from './rules/schema';
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

/** An association in place on the evaluation date, with what matching needs precomputed. */
export interface ActiveAssociation {
  association: Association;
  /** 'PAL', 'CSP', 'DPOR' or 'CPOR:<role>', as rule sources name them. */
  kind: string;
  start: number;
  workloadKeys: string[] | undefined;
}

/** The snapshot's associations in place on the date, by tenant. */
export function activeAssociationsByTenant(snapshot: PartnerSnapshot, date: string): Map<string, ActiveAssociation[]> {
  const byTenant = new Map<string, ActiveAssociation[]>();
  for (const a of snapshot.associations ?? []) {
    // Associations not in place on the date never count, so they are dropped here once.
    if ((a.status ?? 'active') !== 'active' || a.startDate > date || (a.endDate !== undefined && a.endDate <= date)) continue;
    const rec: ActiveAssociation = {
      association: a,
      kind: a.type === 'CPOR' ? `CPOR:${a.role ?? ''}` : a.type,
      start: monthIndex(a.startDate),
      workloadKeys: a.workloads && a.workloads.length > 0 ? a.workloads.map(workloadKey) : undefined,
    };
    const list = byTenant.get(a.tenantId);
    if (list) list.push(rec);
    else byTenant.set(a.tenantId, [rec]);
  }
  return byTenant;
}

/** Which association kinds are in place for a stream (type, CPOR role, workload and subscription match), once per stream. */
export function matchAssociations(st: Stream, associationsByTenant: ReadonlyMap<string, ActiveAssociation[]>): void {
  st.associationsMatched = true;
  const list = associationsByTenant.get(st.tenantId);
  if (!list) return;
  for (const rec of list) {
    const a = rec.association;
    if (a.type !== st.associationType) continue;
    if (rec.workloadKeys && !rec.workloadKeys.includes(st.key)) continue;
    if (a.subscriptionId && st.subscriptionId && a.subscriptionId !== st.subscriptionId) continue;
    if (st.firstKind === undefined) {
      st.firstKind = rec.kind;
      st.firstKindStart = rec.start;
    } else if (st.firstKind === rec.kind) {
      if (rec.start < st.firstKindStart) st.firstKindStart = rec.start;
    } else {
      // A second kind on the same stream (two CPOR roles) is rare, so it lives in arrays only then.
      st.otherKinds ??= [];
      st.otherKindStarts ??= [];
      const at = st.otherKinds.indexOf(rec.kind);
      if (at < 0) {
        st.otherKinds.push(rec.kind);
        st.otherKindStarts.push(rec.start);
      } else if (rec.start < st.otherKindStarts[at]!) st.otherKindStarts[at] = rec.start;
    }
  }
}
