import { LazyLine } from './explain';
import { rejectionDetail, rejectionText, tenantSubject, type Rejection } from './rejections';
import type { Slot } from './slots';
import type { CompiledSource } from './source-match';
import type { Stream } from './telemetry-streams';
import type { ExplanationLine } from './types';

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

/** The telemetry one set of rule sources accepts, per tenant and workload, kept in flat arrays. */
export class SourceData {
  /** Tenants with accepted usage, in first-seen order; tenant i's workloads are keys/slots[start[i] .. start[i+1]). */
  readonly ids: string[] = [];
  readonly start: number[] = [];
  readonly keys: string[] = [];
  /** The workload name as the telemetry spelt it, for explanations (keys[i] is its normalised key). */
  readonly names: string[] = [];
  readonly slots: Slot[] = [];
  /** Earliest start (month index) of the associations that let tenant i's rows count; -1 when not tracked. */
  readonly associationStart: number[] = [];
  /** Why a tenant's rows were left out (the first reason), described only when an explanation needs it. */
  private readonly rejected = new Map<string, Rejection>();
  private readonly rejectedIds: string[] = [];
  /** Tenants (and `tenant/workload` keys) with usage left out of the year-ago months because no accepted association was in place then. */
  readonly unassociatedYearAgo = new Set<string>();
  /** Tenants (and `tenant/workload` keys) with current-year usage left out because no accepted association is in place on the date. */
  readonly unassociatedNow = new Set<string>();
  /** Workloads seen on the platform that this source does not accept. */
  readonly ineligibleWorkloads = new Set<string>();
  private readonly cursor: TenantSeries;
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

  reject(tenant: string, code: Rejection['code'], stream: Stream, source: CompiledSource): void {
    if (this.rejected.has(tenant)) return;
    this.rejected.set(tenant, { code, stream, source });
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
        const no = r.stream.tenantNo;
        if (done) {
          if (done[no]) continue;
          done[no] = 1;
        }
        let counted = false;
        for (let oi = 0; oi < datas.length; oi++) if (datas[oi]!.member[no]) counted = true;
        if (!counted) {
          // Only small values go into the line, so a result never keeps the call's telemetry alive.
          explanation.push(new LazyLine('not-counted', tenantSubject, tenant, undefined, rejectionText, r.code, rejectionDetail(r), r.source.accepts));
        }
      }
    }
  }
}
