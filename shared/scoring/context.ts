import { monthIndex } from '../lib/dates';
import { certificationsOfPeople, type PersonCerts } from './people-certs';
import type { CertificationDef, RuleSet, Source } from './rules/schema';
import { mergeInto, SLOT_LENGTH, SlotPool, SPAN, type Slot } from './slots';
import type { PartnerSnapshot, Platform } from './snapshot';
import { SourceData } from './source-data';
import { activeAssociationsByTenant, compileSource, CURRENT_YEAR_MONTHS, matchAssociations, sourceKey, YEAR_AGO_MONTHS, type ActiveAssociation, type CompiledSource } from './source-match';
import { indexTelemetry, type Stream } from './telemetry-streams';
import type { MetricScore, ScoringSettings } from './types';

/**
 * The state of one scoring call: telemetry grouped once into streams (telemetry-streams.ts), associations matched
 * once per stream (source-match.ts), and memoised per-source aggregates (source-data.ts), so each metric reads only
 * the few months it needs instead of rescanning the snapshot. All of it is derived from the snapshot and the date
 * and dies with the call. What outlives a call is a few caches, each documented where it lives with what bounds it:
 * the free chunks of slots.ts, the workload keys of telemetry-streams.ts, the compiled sources and source keys of
 * source-match.ts, the metric keys of engine.ts and the certification names of metrics/skilling.ts (plus the loaded
 * rule sets of rules/index.ts, a fixed few).
 */
export class ScoringContext {
  readonly monthNow: number;
  /** Streams per platform, grouped by tenant (a tenant's streams are contiguous). */
  private readonly streamsByPlatform: Map<Platform, Stream[]>;
  private readonly tenantCount: number;
  private readonly associationsByTenant: Map<string, ActiveAssociation[]>;
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
    this.associationsByTenant = activeAssociationsByTenant(snapshot, date);
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
    const compiled = sources.map(compileSource);
    const passed = new Set<string>();
    // Sources on different platforms (or overlapping ones) can reach the same tenant, so they are merged by tenant.
    if (compiled.length === 1) this.acceptedStreams(compiled[0]!, data, true, passed);
    else {
      const lists: Stream[][] = [];
      for (const cs of compiled) lists.push(this.acceptedStreams(cs, data, false, passed));
      const byTenant = new Map<string, { st: Stream; rates: Record<string, number> | undefined; start: number; values: Slot }[]>();
      for (let i = 0; i < lists.length; i++) {
        const rates = compiled[i]!.source.mcvRates;
        for (const st of lists[i]!) {
          const e = { st, rates, start: st.acceptedStart, values: st.acceptedValues };
          const l = byTenant.get(st.tenantId);
          if (l) l.push(e);
          else byTenant.set(st.tenantId, [e]);
        }
      }
      for (const entries of byTenant.values()) {
        for (const e of entries) {
          e.st.acceptedStart = e.start;
          e.st.acceptedValues = e.values;
          this.addStream(data, e.st, e.rates);
        }
      }
    }
    // A workload one source leaves out but another takes (Business Central: the Dynamics 365 source, not the PAL
    // ones) is eligible: only workloads that no source takes are reported as not eligible.
    for (const w of passed) data.ineligibleWorkloads.delete(w);
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
    const values = st.acceptedValues;
    if (at < 0 && !rates) {
      // The common case shares the stream's values: nothing is copied per source.
      data.keys.push(st.key);
      data.names.push(st.workload);
      data.slots.push(values);
      return;
    }
    let target = at >= 0 ? data.slots[at]! : undefined;
    if (!target || !target.ownedBySource) {
      const copy = this.pool.alloc();
      copy.ownedBySource = true;
      if (target) copy.buffer.set(target.buffer.subarray(target.offset, target.offset + SLOT_LENGTH), copy.offset);
      target = copy;
      if (at >= 0) data.slots[at] = target;
      else {
        data.keys.push(st.key);
        data.names.push(st.workload);
        data.slots.push(target);
      }
    }
    mergeInto(target, values, rates ? (rates[st.key] ?? 0) : 1);
  }

  /**
   * The streams one source accepts, in tenant-grouped order; records why others were left out. With `direct`,
   * accepted streams go straight into `data` instead of a list.
   */
  private acceptedStreams(cs: CompiledSource, data: SourceData, direct: boolean, passed: Set<string>): Stream[] {
    const streams = this.streamsByPlatform.get(cs.source.workloads.platform);
    const out: Stream[] = [];
    if (!streams) return out;
    const rates = cs.source.mcvRates;
    const requireAssoc = this.settings.requireActiveAssociation;
    const yearAgoThen = this.settings.yearAgoAssociations === 'in-effect-then';
    for (let i = 0; i < streams.length; i++) {
      const st = streams[i]!;
      st.acceptedValues = st.values;
      const workload = st.key;
      if ((cs.include !== 'all' && !cs.include.has(workload)) || cs.exclude.has(workload)) {
        data.ineligibleWorkloads.add(st.workload);
        continue;
      }
      passed.add(st.workload);
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
        if (!st.associationsMatched) matchAssociations(st, this.associationsByTenant);
        let months = 0;
        if (st.firstKind !== undefined && cs.kinds.has(st.firstKind)) {
          start = st.firstKindStart;
          months = st.firstKindMonths;
        }
        if (st.otherKinds) {
          for (let k = 0; k < st.otherKinds.length; k++) {
            if (!cs.kinds.has(st.otherKinds[k]!)) continue;
            const m = st.otherKindStarts![k]!;
            if (m >= 0 && (start < 0 || m < start)) start = m;
            months |= st.otherKindMonths![k]!;
          }
        }
        const activeNow = start >= 0;
        if (!yearAgoThen) {
          if (!activeNow) {
            data.reject(tenant, 'association', st, cs);
            continue;
          }
        } else {
          // The current year is judged by the associations in place on the date, each year-ago month by those in place then.
          const yearAgo = months & YEAR_AGO_MONTHS;
          if (!activeNow && yearAgo === 0) {
            data.reject(tenant, 'association', st, cs);
            continue;
          }
          const keep = (activeNow ? CURRENT_YEAR_MONTHS : 0) | yearAgo;
          // Usually a stream has no rows in the months no association covered, and then nothing needs copying.
          const dropped = st.dataMonths & ~keep;
          if (dropped !== 0) {
            st.acceptedValues = this.maskedCopy(st, keep);
            // By tenant, and by tenant and workload for per-workload units.
            if (dropped & YEAR_AGO_MONTHS) data.unassociatedYearAgo.add(tenant).add(`${tenant}/${st.key}`);
            if (dropped & CURRENT_YEAR_MONTHS) data.unassociatedNow.add(tenant).add(`${tenant}/${st.key}`);
          }
        }
      }
      st.acceptedStart = start;
      if (direct) this.addStream(data, st, rates);
      else out.push(st);
    }
    return out;
  }

  /** A copy of the stream's values with the months outside `keep` (bits of months-ago) set to zero. */
  private maskedCopy(st: Stream, keep: number): Slot {
    const copy = this.pool.alloc();
    copy.ownedBySource = true;
    const d = copy.buffer;
    const s = st.buffer;
    for (let mi = 0; mi < SLOT_LENGTH; mi += SPAN) {
      for (let i = 1; i < SPAN; i++) if (keep & (1 << i)) d[copy.offset + mi + i] = s[st.offset + mi + i]!;
    }
    return copy;
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
    this.people ??= certificationsOfPeople(this.snapshot.professionals ?? [], this.date, this.certDefs, this.settings.skillingLagDays);
    return this.people;
  }
}
