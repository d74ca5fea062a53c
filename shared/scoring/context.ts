import { holdingVerdict, isLinkedOn } from './certifications';
import { monthIndex } from '../lib/dates';
import type { AssociationKind, CertificationDef, RuleSet, Source } from './rules/schema';
import type { Association, AssociationType, PartnerSnapshot, Platform, TelemetryRow } from './snapshot';
import { LazyLine } from './explain';
import type { ExplanationLine, MetricScore, ScoringSettings } from './types';

/**
 * Per-call indexes: telemetry grouped once into streams, associations matched once per stream, and memoised
 * per-source aggregates, so each metric reads only the few months it needs instead of rescanning the snapshot.
 * Everything here is derived from the snapshot and the date; nothing is global. Large partners have hundreds of
 * thousands of rows, so the layout avoids an object per row, per month or per tenant and source.
 */

/** How many months back the engine reads: two trailing-twelve-month windows plus the two-month NCA look-back. */
export const SPAN = 27;

export const MEASURE_INDEX = { acrUsd: 0, revenueUsd: 1, paidSeats: 2, activeUsers: 3, mcv: 4, protectedUsers: 5 } as const;
/** Money adds up across rows; seat and user counts describe a tenant's workload, so rows for the same one are not added. */
const ADDITIVE = [true, true, false, false, true, false] as const;

/** A block of 6 x SPAN values, laid out as [measure * SPAN + monthsAgo], inside a shared Float64Array. */
export interface Slot {
  a: Float64Array;
  o: number;
  /** Owned by one source's aggregate (a merge target) rather than shared with the raw stream. */
  own: boolean;
}

const SLOT = 6 * SPAN;
const CHUNK_SLOTS = 512;

/**
 * One tenant's accepted usage as a window [start, end) over a source's flat workload arrays. A single cursor
 * object is reused while iterating, so do not keep it across tenants.
 */
export interface TenantSeries {
  now: number;
  keys: string[];
  slots: Slot[];
  start: number;
  end: number;
}

export class SourceData {
  /** Tenants with accepted usage, in first-seen order; tenant i's workloads are keys/slots[start[i] .. start[i+1]). */
  readonly ids: string[] = [];
  readonly start: number[] = [];
  readonly keys: string[] = [];
  readonly slots: Slot[] = [];
  /** Earliest start (month index) of the associations that let tenant i's rows count; -1 when not tracked. */
  readonly associationStart: number[] = [];
  /** Why a tenant's rows were left out (the first reason), described only when an explanation needs it. */
  private readonly rejected = new Map<string, Rejection>();
  private readonly rejectedIds: string[] = [];
  /** Workloads seen on the platform that this source does not accept. */
  readonly ineligibleWorkloads = new Set<string>();
  private readonly cursor: TenantSeries;
  private idSet?: Set<string>;
  /** member[tenant number] = 1 when the tenant has accepted usage here (numbers from indexTelemetry). */
  readonly member: Uint8Array;

  constructor(
    readonly now: number,
    tenantCount: number,
  ) {
    this.cursor = { now, keys: this.keys, slots: this.slots, start: 0, end: 0 };
    this.member = new Uint8Array(tenantCount);
  }

  /** The reusable cursor positioned on tenant i. */
  series(i: number): TenantSeries {
    this.cursor.start = this.start[i]!;
    this.cursor.end = i + 1 < this.start.length ? this.start[i + 1]! : this.keys.length;
    return this.cursor;
  }

  has(tenant: string): boolean {
    this.idSet ??= new Set(this.ids);
    return this.idSet.has(tenant);
  }

  reject(tenant: string, code: Rejection['code'], st: Stream, cs: CompiledSource): void {
    if (this.rejected.has(tenant)) return;
    this.rejected.set(tenant, { code, st, cs });
    this.rejectedIds.push(tenant);
  }

  /** Explains each tenant left out entirely: rows rejected and none accepted by any of `datas`. */
  static explainNotCounted(datas: readonly SourceData[], explanation: ExplanationLine[]): void {
    const done = datas.length > 1 ? new Uint8Array(datas[0]!.member.length) : undefined;
    for (let di = 0; di < datas.length; di++) {
      const d = datas[di]!;
      for (let i = 0; i < d.rejectedIds.length; i++) {
        const tenant = d.rejectedIds[i]!;
        const r = d.rejected.get(tenant)!;
        const no = r.st.tenantNo;
        if (done) {
          if (done[no]) continue;
          done[no] = 1;
        }
        let counted = false;
        for (let oi = 0; oi < datas.length; oi++) if (datas[oi]!.member[no]) counted = true;
        if (!counted) {
          // Only small values go into the line, so a result never keeps the call's telemetry alive.
          explanation.push(new LazyLine('not-counted', tenantSubject, tenant, undefined, rejectionText, r.code, rejectionDetail(r), r.cs.accepts));
        }
      }
    }
  }
}

interface Rejection {
  code: 'offer' | 'sovereign' | 'type' | 'association';
  st: Stream;
  cs: CompiledSource;
}

const tenantSubject = (tenant: unknown): string => `tenant ${String(tenant)}`;

function rejectionDetail(r: Rejection): string {
  if (r.code === 'offer') return r.st.offer;
  if (r.code === 'association' && r.st.associationType === 'CPOR') return `CPOR|${r.st.workload}`;
  return r.st.associationType;
}

const rejectionText = (code: unknown, detail: unknown, accepts: unknown): string => {
  const d = String(detail);
  switch (code as Rejection['code']) {
    case 'offer':
      return `${d} offers are excluded`;
    case 'sovereign':
      return 'tenant is in a sovereign cloud, which is not scored';
    case 'type':
      return `usage attributed through ${d}, which this metric does not accept (accepts ${String(accepts)})`;
    case 'association': {
      if (!d.startsWith('CPOR|')) return `no active ${d} association on the tenant`;
      const roles = String(accepts)
        .split(', ')
        .filter((k) => k.startsWith('CPOR:'))
        .map((k) => k.slice(5));
      return `no active CPOR claim with role ${roles.join('/')} covering ${d.slice(5)}`;
    }
  }
};

/** An association in place on the evaluation date, with what matching needs precomputed. */
interface ActiveAssociation {
  a: Association;
  /** 'PAL', 'CSP', 'DPOR' or 'CPOR:<role>', as rule sources name them. */
  kind: string;
  start: number;
  workloadKeys: string[] | undefined;
}

/** Rows of one tenant with the same workload, association type, subscription and offer: acceptance is decided once for all their months. */
interface Stream {
  tenantId: string;
  /** Dense tenant number within one call, for membership arrays instead of sets. */
  tenantNo: number;
  workload: string;
  key: string;
  associationType: AssociationType;
  subscriptionId: string | undefined;
  offer: string;
  platform: Platform;
  /** The stream's own values (a Slot: the stream object doubles as one, saving an object per stream). */
  values: Slot;
  a: Float64Array;
  o: number;
  own: boolean;
  /** Association kinds ('PAL', 'CPOR:osu', ...) in place for this stream, with the earliest start month of each; computed on first use. */
  matched: boolean;
  kind0: string | undefined;
  start0: number;
  kindsMore: string[] | undefined;
  startsMore: number[] | undefined;
  /** Scratch: the association start month for the source being built (-1 when not required). */
  acceptedStart: number;
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
  kinds: Set<string>;
  /** The accepted association kinds in words, for explanations. */
  accepts: string;
}

const compiledSources = new WeakMap<Source, CompiledSource>();
function compile(source: Source): CompiledSource {
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
  /** Streams per platform, grouped by tenant (a tenant's streams are contiguous). */
  private readonly streamsByPlatform: Map<Platform, Stream[]>;
  private readonly tenantCount: number;
  private readonly associationsByTenant = new Map<string, ActiveAssociation[]>();
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
    this.monthNow = monthIndex(date);
    this.certDefs = new Map(rules.certifications.map((c) => [c.id, c]));
    for (const c of snapshot.customers ?? []) {
      if (c.cloud === 'sovereign') this.sovereign.add(c.tenantId);
      if (c.segment) this.segments.set(c.tenantId, c.segment);
    }
    for (const a of snapshot.associations ?? []) {
      // Associations not in place on the date never count, so they are dropped here once.
      if ((a.status ?? 'active') !== 'active' || a.startDate > date || (a.endDate !== undefined && a.endDate <= date)) continue;
      const rec: ActiveAssociation = {
        a,
        kind: a.type === 'CPOR' ? `CPOR:${a.role ?? ''}` : a.type,
        start: monthIndex(a.startDate),
        workloadKeys: a.workloads && a.workloads.length > 0 ? a.workloads.map(workloadKey) : undefined,
      };
      const list = this.associationsByTenant.get(a.tenantId);
      if (list) list.push(rec);
      else this.associationsByTenant.set(a.tenantId, [rec]);
    }
    const indexed = indexTelemetry(snapshot.telemetry ?? [], this.monthNow, this.pool);
    this.streamsByPlatform = indexed.byPlatform;
    this.tenantCount = indexed.tenantCount;
  }

  /** Aggregates the rows that the given sources accept, per tenant, workload and month. Memoised per call. */
  sourceData(sources: readonly Source[]): SourceData {
    this.pool.assertLive();
    const key = sources.length === 1 ? sourceKey(sources[0]!) : sources.map(sourceKey).join('|');
    const hit = this.sourceMemo.get(key);
    if (hit) return hit;
    const data = new SourceData(this.monthNow, this.tenantCount);
    const compiled = sources.map(compile);
    // Sources on different platforms (or overlapping ones) can reach the same tenant, so they are merged by tenant.
    if (compiled.length === 1) this.acceptedStreams(compiled[0]!, data, true);
    else {
      const lists: Stream[][] = [];
      for (const cs of compiled) lists.push(this.acceptedStreams(cs, data, false));
      const byTenant = new Map<string, { st: Stream; rates: Record<string, number> | undefined; start: number }[]>();
      for (let i = 0; i < lists.length; i++) {
        const rates = compiled[i]!.source.mcvRates;
        for (const st of lists[i]!) {
          const e = { st, rates, start: st.acceptedStart };
          const l = byTenant.get(st.tenantId);
          if (l) l.push(e);
          else byTenant.set(st.tenantId, [e]);
        }
      }
      for (const entries of byTenant.values()) {
        for (const e of entries) {
          e.st.acceptedStart = e.start;
          this.addStream(data, e.st, e.rates);
        }
      }
    }
    this.sourceMemo.set(key, data);
    return data;
  }

  /** Appends a stream to the source's flat arrays; streams of one tenant arrive together. */
  private addStream(data: SourceData, st: Stream, rates: Record<string, number> | undefined): void {
    const n = data.ids.length;
    if (n === 0 || data.ids[n - 1] !== st.tenantId) {
      data.ids.push(st.tenantId);
      data.member[st.tenantNo] = 1;
      data.start.push(data.keys.length);
      data.associationStart.push(st.acceptedStart);
    } else if (st.acceptedStart >= 0) {
      const prev = data.associationStart[n - 1]!;
      if (prev < 0 || st.acceptedStart < prev) data.associationStart[n - 1] = st.acceptedStart;
    }
    const from = data.start[data.start.length - 1]!;
    let at = -1;
    for (let i = from; i < data.keys.length; i++) {
      if (data.keys[i] === st.key) {
        at = i;
        break;
      }
    }
    if (at < 0 && !rates) {
      // The common case shares the stream's values: nothing is copied per source.
      data.keys.push(st.key);
      data.slots.push(st.values);
      return;
    }
    let target = at >= 0 ? data.slots[at]! : undefined;
    if (!target || !target.own) {
      const copy = this.pool.alloc();
      copy.own = true;
      if (target) copy.a.set(target.a.subarray(target.o, target.o + SLOT), copy.o);
      target = copy;
      if (at >= 0) data.slots[at] = target;
      else {
        data.keys.push(st.key);
        data.slots.push(target);
      }
    }
    mergeInto(target, st.values, rates ? (rates[st.key] ?? 0) : 1);
  }

  /**
   * The streams one source accepts, in tenant-grouped order; records why others were left out. With `direct`,
   * accepted streams go straight into `data` instead of a list.
   */
  private acceptedStreams(cs: CompiledSource, data: SourceData, direct: boolean): Stream[] {
    const streams = this.streamsByPlatform.get(cs.source.workloads.platform);
    const out: Stream[] = [];
    if (!streams) return out;
    const rates = cs.source.mcvRates;
    const requireAssoc = this.settings.requireActiveAssociation;
    for (let i = 0; i < streams.length; i++) {
      const st = streams[i]!;
      const workload = st.key;
      if ((cs.include !== 'all' && !cs.include.has(workload)) || cs.exclude.has(workload)) {
        data.ineligibleWorkloads.add(st.workload);
        continue;
      }
      const tenant = st.tenantId;
      if (cs.offers.has(st.offer)) {
        data.reject(tenant, 'offer', st, cs);
        continue;
      }
      if (this.sovereign.has(tenant)) {
        data.reject(tenant, 'sovereign', st, cs);
        continue;
      }
      if (!cs.types.has(st.associationType)) {
        data.reject(tenant, 'type', st, cs);
        continue;
      }
      let start = -1;
      if (st.associationType === 'CPOR' || requireAssoc) {
        if (!st.matched) this.matchAssociations(st);
        if (st.kind0 !== undefined && cs.kinds.has(st.kind0)) start = st.start0;
        if (st.kindsMore) {
          for (let k = 0; k < st.kindsMore.length; k++) {
            if (!cs.kinds.has(st.kindsMore[k]!)) continue;
            const m = st.startsMore![k]!;
            if (start < 0 || m < start) start = m;
          }
        }
        if (start < 0) {
          data.reject(tenant, 'association', st, cs);
          continue;
        }
      }
      st.acceptedStart = start;
      if (direct) this.addStream(data, st, rates);
      else out.push(st);
    }
    return out;
  }

  /** Which association kinds are in place for a stream (type, CPOR role, workload and subscription match), once per stream. */
  private matchAssociations(st: Stream): void {
    st.matched = true;
    const list = this.associationsByTenant.get(st.tenantId);
    if (!list) return;
    for (const rec of list) {
      const a = rec.a;
      if (a.type !== st.associationType) continue;
      if (rec.workloadKeys && !rec.workloadKeys.includes(st.key)) continue;
      if (a.subscriptionId && st.subscriptionId && a.subscriptionId !== st.subscriptionId) continue;
      if (st.kind0 === undefined) {
        st.kind0 = rec.kind;
        st.start0 = rec.start;
      } else if (st.kind0 === rec.kind) {
        if (rec.start < st.start0) st.start0 = rec.start;
      } else {
        // A second kind on the same stream (two CPOR roles) is rare, so it lives in arrays only then.
        st.kindsMore ??= [];
        st.startsMore ??= [];
        const at = st.kindsMore.indexOf(rec.kind);
        if (at < 0) {
          st.kindsMore.push(rec.kind);
          st.startsMore.push(rec.start);
        } else if (rec.start < st.startsMore[at]!) st.startsMore[at] = rec.start;
      }
    }
  }

  /**
   * Ends the call: the telemetry slots go back to the pool for the next call. Results never hold slots
   * (explanations keep only small values), so they stay valid; the context itself must not be used again.
   */
  release(): void {
    this.pool.release();
    this.sourceMemo.clear();
    this.streamsByPlatform.clear();
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
 * monthly values, per platform and grouped by tenant. A standalone function so V8 optimises the hot loop on its own.
 */
function indexTelemetry(rows: readonly TelemetryRow[], monthNow: number, pool: SlotPool): { byPlatform: Map<Platform, Stream[]>; tenantCount: number } {
  const index = new Map<string, Stream[]>();
  let lastNo = -1;
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
      if (known === undefined) agoOf.set(row.month, (ago = monthNow - monthIndex(row.month)));
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
      lastNo = l.length > 0 ? l[0]!.tenantNo : index.size - 1;
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
      const at = pool.take();
      st = {
        tenantId: row.tenantId,
        tenantNo: lastNo,
        workload: row.workload,
        key: workloadKey(row.workload),
        associationType: row.associationType,
        subscriptionId: row.subscriptionId,
        offer,
        platform: row.platform,
        values: undefined as unknown as Slot,
        a: pool.chunkArray(),
        o: at,
        own: false,
        acceptedStart: -1,
        matched: false,
        kind0: undefined,
        start0: 0,
        kindsMore: undefined,
        startsMore: undefined,
      };
      st.values = st;
      list.push(st);
    }
    const v = st.a;
    const o = st.o + ago;
    if (row.acrUsd !== undefined) v[o]! += row.acrUsd;
    if (row.revenueUsd !== undefined) v[o + span]! += row.revenueUsd;
    if (row.mcvUnits !== undefined) v[o + 4 * span]! += row.mcvUnits;
    if (row.paidSeats !== undefined && row.paidSeats > v[o + 2 * span]!) v[o + 2 * span] = row.paidSeats;
    if (row.activeUsers !== undefined && row.activeUsers > v[o + 3 * span]!) v[o + 3 * span] = row.activeUsers;
    if (row.protectedUsers !== undefined && row.protectedUsers > v[o + 5 * span]!) v[o + 5 * span] = row.protectedUsers;
  }
  const byPlatform = new Map<Platform, Stream[]>();
  for (const list of index.values()) {
    for (const st of list) {
      let plist = byPlatform.get(st.platform);
      if (!plist) byPlatform.set(st.platform, (plist = []));
      plist.push(st);
    }
  }
  return { byPlatform, tenantCount: index.size };
}

/**
 * Chunks given back by finished calls. A chunk is 663 KB held outside the V8 heap; allocating fresh ones on every
 * call made V8 run full collections for the external memory, each costing time in proportion to the live heap, so
 * scoring time grew faster than the partner. Reusing them means no new external memory per call in steady state.
 * After a call the pool keeps at most twice the chunks that call used: partners of mixed sizes reuse chunks, and what
 * stays held follows the size of the last partner scored.
 */
const freeChunks: Float64Array<ArrayBuffer>[] = [];

/** Hands out slots from shared chunks; one pool per scoring call, released when the call ends. */
class SlotPool {
  private chunk = new Float64Array(0);
  private used = CHUNK_SLOTS;
  private readonly taken: Float64Array<ArrayBuffer>[] = [];
  private released = false;
  alloc(): Slot {
    const o = this.take();
    return { a: this.chunk, o, own: false };
  }
  /** Reserves a slot and returns its offset in chunkArray(). */
  take(): number {
    if (this.used === CHUNK_SLOTS) {
      this.assertLive();
      const reused = freeChunks.pop();
      if (reused) reused.fill(0);
      this.chunk = reused ?? new Float64Array(CHUNK_SLOTS * SLOT);
      this.taken.push(this.chunk);
      this.used = 0;
    }
    return SLOT * this.used++;
  }
  chunkArray(): Float64Array {
    return this.chunk;
  }
  /** Throws once the call has ended; the context checks it too, so the released state lives in one place. */
  assertLive(): void {
    if (this.released) throw new Error('scoring context used after release: its telemetry chunks belong to a later call');
  }
  /** Gives the chunks back for the next call; nothing may read this call's slots afterwards. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const c of this.taken) freeChunks.push(c);
    const keep = 2 * this.taken.length;
    if (freeChunks.length > keep) freeChunks.splice(0, freeChunks.length - keep);
    this.taken.length = 0;
    this.chunk = new Float64Array(0);
  }
}
