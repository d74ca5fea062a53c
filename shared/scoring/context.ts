import { holdingVerdict, isLinkedOn } from './certifications';
import { monthIndexOfDate } from './dates';
import type { AssociationKind, CertificationDef, RuleSet, Source } from './rules/schema';
import type { Association, AssociationType, PartnerSnapshot, Platform } from './snapshot';
import type { MetricScore, ScoringSettings } from './types';

/**
 * Per-call indexes: telemetry grouped once by platform, associations by tenant, and memoised
 * per-source aggregates, so each metric reads only the few months it needs instead of rescanning
 * the snapshot. Everything here is derived from the snapshot and the date; nothing is global.
 */

/** How many months back the engine reads: two trailing-twelve-month windows plus the two-month NCA look-back. */
export const SPAN = 27;

export const MEASURE_INDEX = { acrUsd: 0, revenueUsd: 1, paidSeats: 2, activeUsers: 3, mcv: 4, protectedUsers: 5 } as const;
/** Money adds up across rows; seat and user counts describe a tenant's workload, so rows for the same one are not added. */
const ADDITIVE = [true, true, false, false, true, false] as const;

/**
 * One tenant's accepted usage: workload key -> values laid out as [measure * SPAN + monthsAgo],
 * where monthsAgo = evaluation month - telemetry month (1 = last month).
 */
export interface TenantSeries {
  now: number;
  /** Parallel arrays (a tenant has a handful of workloads, so arrays beat a Map per tenant and source). */
  keys: string[];
  slots: Slot[];
}

/** A block of 6 x SPAN values inside a shared Float64Array: one allocation per pool chunk instead of per series. */
export interface Slot {
  a: Float64Array;
  o: number;
  /** Owned by one source's aggregate (a merge target) rather than shared with the raw stream. */
  own: boolean;
}

const SLOT = 6 * SPAN;
const CHUNK_SLOTS = 512;

export interface SourceData {
  tenants: Map<string, TenantSeries>;
  /** The same tenants in insertion order as parallel arrays, for allocation-free iteration. */
  ids: string[];
  series: TenantSeries[];
  /** First reason a tenant's rows were left out, for tenants that may end up not counted. */
  rejected: Map<string, string>;
  /** Earliest start (month index) of the associations that let each tenant's rows count. */
  associationStart: Map<string, number>;
  /** Workloads seen on the platform that this source does not accept. */
  ineligibleWorkloads: Set<string>;
}

/** Rows of one tenant with the same workload, association type, subscription and offer: acceptance is decided once for all their months. */
interface Stream {
  tenantId: string;
  workload: string;
  key: string;
  associationType: AssociationType;
  subscriptionId: string | undefined;
  offer: string;
  platform: Platform;
  values: Slot;
  /** Active associations of the tenant that match this stream's type, workload and subscription (any CPOR role); computed on first use. */
  matches?: Association[];
}

const keyCache = new Map<string, string>();
/** Workload names from Partner Center ("Exchange Online", "Key Vault") and rule ids ("exchange-online") compare equal. */
export function workloadKey(name: string): string {
  let k = keyCache.get(name);
  if (k === undefined) {
    k = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    if (keyCache.size < 10_000) keyCache.set(name, k);
  }
  return k;
}

interface CompiledSource {
  source: Source;
  include: Set<string> | 'all';
  exclude: Set<string>;
  offers: Set<string>;
  types: Set<AssociationType>;
  cporRoles: Set<string>;
}

const compiledSources = new WeakMap<Source, CompiledSource>();
function compile(source: Source): CompiledSource {
  let c = compiledSources.get(source);
  if (!c) {
    const types = new Set<AssociationType>();
    const cporRoles = new Set<string>();
    for (const k of source.associations) {
      if (k.startsWith('CPOR:')) {
        types.add('CPOR');
        cporRoles.add(k.slice(5));
      } else types.add(k as AssociationType);
    }
    c = {
      source,
      include: source.workloads.include === 'all' ? 'all' : new Set(source.workloads.include.map(workloadKey)),
      exclude: new Set(source.workloads.exclude.map(workloadKey)),
      offers: new Set(source.excludedOffers),
      types,
      cporRoles,
    };
    compiledSources.set(source, c);
  }
  return c;
}

const sourceKeys = new WeakMap<Source, string>();
function sourceKey(s: Source): string {
  let k = sourceKeys.get(s);
  if (!k) {
    k = JSON.stringify(s);
    sourceKeys.set(s, k);
  }
  return k;
}

export interface PersonCerts {
  id: string;
  label: string;
  /** Certification ids that count on the date. */
  valid: Set<string>;
  validList: string[];
  /** Holdings that do not count, with the reason. */
  invalid: { certificationId: string; reason: string }[];
  linked: boolean;
}

export class ScoringContext {
  readonly monthNow: number;
  private readonly streamsByPlatform: Map<Platform, Stream[]>;
  private readonly associationsByTenant = new Map<string, Association[]>();
  private readonly startMonths = new Map<Association, number>();
  private readonly sovereign = new Set<string>();
  readonly segments = new Map<string, 'smb' | 'enterprise'>();
  private readonly sourceMemo = new Map<string, SourceData>();
  /** Metric results by rule, shared by areas with identical metrics (see engine.ts). */
  readonly metricMemo = new Map<string, MetricScore>();
  private readonly pool = new SlotPool();
  private people?: PersonCerts[];
  readonly certDefs: Map<string, CertificationDef>;

  constructor(
    readonly snapshot: PartnerSnapshot,
    readonly date: string,
    readonly rules: RuleSet,
    readonly settings: ScoringSettings,
  ) {
    this.monthNow = monthIndexOfDate(date);
    this.certDefs = new Map(rules.certifications.map((c) => [c.id, c]));
    for (const c of snapshot.customers ?? []) {
      if (c.cloud === 'sovereign') this.sovereign.add(c.tenantId);
      if (c.segment) this.segments.set(c.tenantId, c.segment);
    }
    for (const a of snapshot.associations ?? []) {
      // Associations not in place on the date never count, so they are dropped here once.
      if ((a.status ?? 'active') !== 'active' || a.startDate > date || (a.endDate !== undefined && a.endDate <= date)) continue;
      this.startMonths.set(a, monthIndexOfDate(a.startDate));
      const list = this.associationsByTenant.get(a.tenantId);
      if (list) list.push(a);
      else this.associationsByTenant.set(a.tenantId, [a]);
    }
    this.streamsByPlatform = indexTelemetry(snapshot.telemetry ?? [], this.monthNow);
  }

  private alloc(): Slot {
    return this.pool.alloc();
  }

  /** Aggregates the rows that the given sources accept, per tenant, month and workload. Memoised per call. */
  sourceData(sources: readonly Source[]): SourceData {
    const key = sources.map(sourceKey).join('|');
    const hit = this.sourceMemo.get(key);
    if (hit) return hit;
    const data: SourceData = { tenants: new Map(), ids: [], series: [], rejected: new Map(), associationStart: new Map(), ineligibleWorkloads: new Set() };
    for (const source of sources) this.addSource(compile(source), data);
    this.sourceMemo.set(key, data);
    return data;
  }

  private addSource(cs: CompiledSource, data: SourceData): void {
    const streams = this.streamsByPlatform.get(cs.source.workloads.platform);
    if (!streams) return;
    const rates = cs.source.mcvRates;
    const requireAssoc = this.settings.requireActiveAssociation;
    for (const st of streams) {
      const workload = st.key;
      if ((cs.include !== 'all' && !cs.include.has(workload)) || cs.exclude.has(workload)) {
        data.ineligibleWorkloads.add(st.workload);
        continue;
      }
      const tenant = st.tenantId;
      if (cs.offers.has(st.offer)) {
        if (!data.rejected.has(tenant)) data.rejected.set(tenant, `${st.offer} offers are excluded`);
        continue;
      }
      if (this.sovereign.has(tenant)) {
        if (!data.rejected.has(tenant)) data.rejected.set(tenant, 'tenant is in a sovereign cloud, which is not scored');
        continue;
      }
      if (!cs.types.has(st.associationType)) {
        if (!data.rejected.has(tenant)) data.rejected.set(tenant, `usage attributed through ${st.associationType}, which this metric does not accept (accepts ${cs.source.associations.join(', ')})`);
        continue;
      }
      let startMonth = -1;
      if (st.associationType === 'CPOR' || requireAssoc) {
        const match = this.matchAssociation(tenant, st, cs);
        if (match === undefined) {
          if (!data.rejected.has(tenant)) {
            data.rejected.set(
              tenant,
              st.associationType === 'CPOR'
                ? `no active CPOR claim with role ${[...cs.cporRoles].join('/')} covering ${st.workload}`
                : `no active ${st.associationType} association on the tenant`,
            );
          }
          continue;
        }
        startMonth = match;
      }
      let series = data.tenants.get(tenant);
      if (!series) {
        data.tenants.set(tenant, (series = { now: this.monthNow, keys: [], slots: [] }));
        data.ids.push(tenant);
        data.series.push(series);
      }
      const at = series.keys.indexOf(workload);
      const existing = at >= 0 ? series.slots[at] : undefined;
      if (!existing && !rates) {
        // The common case shares the stream's values: nothing is copied per source.
        series.keys.push(workload);
        series.slots.push(st.values);
      } else {
        let target = existing;
        if (!target || !target.own) {
          const copy = this.alloc();
          copy.own = true;
          if (target) copy.a.set(target.a.subarray(target.o, target.o + SLOT), copy.o);
          target = copy;
          if (at >= 0) series.slots[at] = target;
          else {
            series.keys.push(workload);
            series.slots.push(target);
          }
        }
        mergeInto(target, st.values, rates ? (rates[workload] ?? 0) : 1);
      }
      if (startMonth >= 0) {
        const prev = data.associationStart.get(tenant);
        if (prev === undefined || startMonth < prev) data.associationStart.set(tenant, startMonth);
      }
    }
  }

  /** Month index of the earliest matching active association, or undefined when none lets the row count. */
  private matchAssociation(tenant: string, st: Stream, cs: CompiledSource): number | undefined {
    let matches = st.matches;
    if (!matches) {
      matches = [];
      for (const a of this.associationsByTenant.get(tenant) ?? []) {
        if (a.type !== st.associationType) continue;
        if (a.workloads && a.workloads.length > 0 && !a.workloads.some((w) => workloadKey(w) === st.key)) continue;
        if (a.subscriptionId && st.subscriptionId && a.subscriptionId !== st.subscriptionId) continue;
        matches.push(a);
      }
      st.matches = matches;
    }
    let best: number | undefined;
    for (const a of matches) {
      if (a.type === 'CPOR' && !cs.cporRoles.has(a.role ?? '')) continue;
      const m = this.startMonths.get(a)!;
      if (best === undefined || m < best) best = m;
    }
    return best;
  }

  /** Each linked professional's certifications that count on the date, computed once per call. */
  peopleCerts(): PersonCerts[] {
    if (this.people) return this.people;
    const lag = this.settings.skillingLagDays;
    this.people = (this.snapshot.professionals ?? []).map((p) => {
      const linked = isLinkedOn(p, this.date);
      const valid = new Set<string>();
      const invalid: PersonCerts['invalid'] = [];
      for (const h of p.certifications ?? []) {
        const v = holdingVerdict(h, this.certDefs.get(h.certificationId), this.date, lag);
        if (v.valid) valid.add(h.certificationId);
        else invalid.push({ certificationId: h.certificationId, reason: v.reason });
      }
      return { id: p.id, label: p.name ? `${p.name} (${p.id})` : p.id, valid, validList: [...valid], invalid, linked };
    });
    return this.people;
  }
}

export type { AssociationKind };

/** Adds `src` into `dst`: money sums (MCV units times the rate), counts take the larger value. */
function mergeInto(dst: Slot, src: Slot, mcvRate: number): void {
  const d = dst.a;
  const s = src.a;
  for (let mi = 0; mi < 6; mi++) {
    const dOff = dst.o + mi * SPAN;
    const sOff = src.o + mi * SPAN;
    const scale = mi === 4 ? mcvRate : 1;
    if (ADDITIVE[mi]) for (let i = 0; i < SPAN; i++) d[dOff + i]! += s[sOff + i]! * scale;
    else for (let i = 0; i < SPAN; i++) if (s[sOff + i]! > d[dOff + i]!) d[dOff + i] = s[sOff + i]!;
  }
}

/**
 * Groups telemetry rows into streams (tenant x workload x association type x subscription x offer) with their
 * monthly values. A standalone function rather than constructor code so V8 optimises the hot loop on its own.
 */
function indexTelemetry(rows: readonly PartnerSnapshot['telemetry'][number][], monthNow: number): Map<Platform, Stream[]> {
  const byPlatform = new Map<Platform, Stream[]>();
  const index = new Map<string, Stream[]>();
  const pool = new SlotPool();
  // Rows usually come grouped by tenant and month, so the last lookups are remembered to skip most hashing.
  let lastTenant = '';
  let lastList: Stream[] = [];
  let lastMonth = '';
  let lastAgo = 0;
  const agoOf = new Map<string, number>();
  const span = SPAN;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let ago = lastAgo;
    if (row.month !== lastMonth) {
      const known = agoOf.get(row.month);
      if (known === undefined) agoOf.set(row.month, (ago = monthNow - monthIndexOfDate(row.month)));
      else ago = known;
      lastMonth = row.month;
      lastAgo = ago;
    }
    // Future months are unknown on the date; rules never look further back than SPAN.
    if (ago < 1 || ago >= span) continue;
    const offer = row.offer ?? 'standard';
    let list = lastList;
    if (row.tenantId !== lastTenant) {
      let l = index.get(row.tenantId);
      if (!l) index.set(row.tenantId, (l = []));
      list = lastList = l;
      lastTenant = row.tenantId;
    }
    let st: Stream | undefined;
    for (let i = 0; i < list.length; i++) {
      const x = list[i]!;
      if (x.workload === row.workload && x.associationType === row.associationType && x.platform === row.platform && x.subscriptionId === row.subscriptionId && x.offer === offer) {
        st = x;
        break;
      }
    }
    if (!st) {
      st = { tenantId: row.tenantId, workload: row.workload, key: workloadKey(row.workload), associationType: row.associationType, subscriptionId: row.subscriptionId, offer, platform: row.platform, values: pool.alloc() };
      list.push(st);
      let plist = byPlatform.get(row.platform);
      if (!plist) byPlatform.set(row.platform, (plist = []));
      plist.push(st);
    }
    const v = st.values.a;
    const o = st.values.o + ago;
    if (row.acrUsd !== undefined) v[o]! += row.acrUsd;
    if (row.revenueUsd !== undefined) v[o + span]! += row.revenueUsd;
    if (row.mcvUnits !== undefined) v[o + 4 * span]! += row.mcvUnits;
    if (row.paidSeats !== undefined && row.paidSeats > v[o + 2 * span]!) v[o + 2 * span] = row.paidSeats;
    if (row.activeUsers !== undefined && row.activeUsers > v[o + 3 * span]!) v[o + 3 * span] = row.activeUsers;
    if (row.protectedUsers !== undefined && row.protectedUsers > v[o + 5 * span]!) v[o + 5 * span] = row.protectedUsers;
  }
  return byPlatform;
}

/** Hands out slots from shared chunks; one pool per scoring call. */
export class SlotPool {
  private chunk = new Float64Array(0);
  private used = CHUNK_SLOTS;
  alloc(): Slot {
    if (this.used === CHUNK_SLOTS) {
      this.chunk = new Float64Array(CHUNK_SLOTS * SLOT);
      this.used = 0;
    }
    return { a: this.chunk, o: SLOT * this.used++, own: false };
  }
}
