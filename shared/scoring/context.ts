import { holdingVerdict, isLinkedOn } from './certifications';
import { monthIndexOfDate } from './dates';
import type { AssociationKind, CertificationDef, RuleSet, Source } from './rules/schema';
import type { Association, AssociationType, PartnerSnapshot, Platform, TelemetryRow } from './snapshot';
import type { ScoringSettings } from './types';

/**
 * Per-call indexes: telemetry grouped once by platform, associations by tenant, and memoised
 * per-source aggregates, so each metric reads only the few months it needs instead of rescanning
 * the snapshot. Everything here is derived from the snapshot and the date; nothing is global.
 */

/** Measures of one workload in one tenant and month, after association and offer filters. */
export interface Agg {
  acrUsd: number;
  revenueUsd: number;
  paidSeats: number;
  activeUsers: number;
  mcv: number;
  protectedUsers: number;
}

/** month index -> workload key -> measures */
export type TenantMonths = Map<number, Map<string, Agg>>;

export interface SourceData {
  tenants: Map<string, TenantMonths>;
  /** First reason a tenant's rows were left out, for tenants that may end up not counted. */
  rejected: Map<string, string>;
  /** Earliest start (month index) of the associations that let each tenant's rows count. */
  associationStart: Map<string, number>;
  /** Workloads seen on the platform that this source does not accept. */
  ineligibleWorkloads: Set<string>;
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

interface PreparedRow {
  row: TelemetryRow;
  month: number;
  workload: string;
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
  /** Holdings that do not count, with the reason. */
  invalid: { certificationId: string; reason: string }[];
  linked: boolean;
}

export class ScoringContext {
  readonly monthNow: number;
  private readonly rowsByPlatform = new Map<Platform, PreparedRow[]>();
  private readonly associationsByTenant = new Map<string, Association[]>();
  private readonly sovereign = new Set<string>();
  readonly segments = new Map<string, 'smb' | 'enterprise'>();
  private readonly sourceMemo = new Map<string, SourceData>();
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
      const list = this.associationsByTenant.get(a.tenantId);
      if (list) list.push(a);
      else this.associationsByTenant.set(a.tenantId, [a]);
    }
    const earliest = this.monthNow - 26;
    for (const row of snapshot.telemetry ?? []) {
      const month = monthIndexOfDate(row.month);
      // Rules look back at most 25 months (previous trailing twelve months, two-month windows); future months are unknown on the date.
      if (month < earliest || month >= this.monthNow) continue;
      let list = this.rowsByPlatform.get(row.platform);
      if (!list) this.rowsByPlatform.set(row.platform, (list = []));
      list.push({ row, month, workload: workloadKey(row.workload) });
    }
  }

  /** Aggregates the rows that the given sources accept, per tenant, month and workload. Memoised per call. */
  sourceData(sources: readonly Source[]): SourceData {
    const key = sources.map(sourceKey).join('|');
    const hit = this.sourceMemo.get(key);
    if (hit) return hit;
    const data: SourceData = { tenants: new Map(), rejected: new Map(), associationStart: new Map(), ineligibleWorkloads: new Set() };
    for (const source of sources) this.addSource(compile(source), data);
    this.sourceMemo.set(key, data);
    return data;
  }

  private addSource(cs: CompiledSource, data: SourceData): void {
    const rows = this.rowsByPlatform.get(cs.source.workloads.platform);
    if (!rows) return;
    const rates = cs.source.mcvRates;
    const requireAssoc = this.settings.requireActiveAssociation;
    for (const pr of rows) {
      const { row, workload } = pr;
      if (cs.include !== 'all' && !cs.include.has(workload)) {
        data.ineligibleWorkloads.add(row.workload);
        continue;
      }
      if (cs.exclude.has(workload)) {
        data.ineligibleWorkloads.add(row.workload);
        continue;
      }
      const tenant = row.tenantId;
      if (row.offer !== undefined && cs.offers.has(row.offer)) {
        if (!data.rejected.has(tenant)) data.rejected.set(tenant, `${row.offer} offers are excluded`);
        continue;
      }
      if (this.sovereign.has(tenant)) {
        if (!data.rejected.has(tenant)) data.rejected.set(tenant, 'tenant is in a sovereign cloud, which is not scored');
        continue;
      }
      if (!cs.types.has(row.associationType)) {
        if (!data.rejected.has(tenant)) data.rejected.set(tenant, `usage attributed through ${row.associationType}, which this metric does not accept (accepts ${cs.source.associations.join(', ')})`);
        continue;
      }
      let startMonth = -1;
      if (row.associationType === 'CPOR' || requireAssoc) {
        const match = this.matchAssociation(tenant, row, cs);
        if (match === undefined) {
          if (!data.rejected.has(tenant)) {
            data.rejected.set(
              tenant,
              row.associationType === 'CPOR'
                ? `no active CPOR claim with role ${[...cs.cporRoles].join('/')} covering ${row.workload}`
                : `no active ${row.associationType} association on the tenant`,
            );
          }
          continue;
        }
        startMonth = match;
      }
      let months = data.tenants.get(tenant);
      if (!months) data.tenants.set(tenant, (months = new Map()));
      let workloads = months.get(pr.month);
      if (!workloads) months.set(pr.month, (workloads = new Map()));
      let agg = workloads.get(workload);
      if (!agg) workloads.set(workload, (agg = { acrUsd: 0, revenueUsd: 0, paidSeats: 0, activeUsers: 0, mcv: 0, protectedUsers: 0 }));
      // Money adds up across rows; seat and user counts describe the tenant's workload, so two rows for it (e.g. CPOR and DPOR) are not added.
      agg.acrUsd += row.acrUsd ?? 0;
      agg.revenueUsd += row.revenueUsd ?? 0;
      if (rates && row.mcvUnits) agg.mcv += row.mcvUnits * (rates[workload] ?? 0);
      if ((row.paidSeats ?? 0) > agg.paidSeats) agg.paidSeats = row.paidSeats!;
      if ((row.activeUsers ?? 0) > agg.activeUsers) agg.activeUsers = row.activeUsers!;
      if ((row.protectedUsers ?? 0) > agg.protectedUsers) agg.protectedUsers = row.protectedUsers!;
      if (startMonth >= 0) {
        const prev = data.associationStart.get(tenant);
        if (prev === undefined || startMonth < prev) data.associationStart.set(tenant, startMonth);
      }
    }
  }

  /** Month index of the earliest matching active association, or undefined when none lets the row count. */
  private matchAssociation(tenant: string, row: TelemetryRow, cs: CompiledSource): number | undefined {
    const list = this.associationsByTenant.get(tenant);
    if (!list) return undefined;
    let best: string | undefined;
    for (const a of list) {
      if (a.type !== row.associationType) continue;
      if (a.type === 'CPOR' && !cs.cporRoles.has(a.role ?? '')) continue;
      if (a.workloads && a.workloads.length > 0 && !a.workloads.some((w) => workloadKey(w) === workloadKey(row.workload))) continue;
      if (a.subscriptionId && row.subscriptionId && a.subscriptionId !== row.subscriptionId) continue;
      if (best === undefined || a.startDate < best) best = a.startDate;
    }
    return best === undefined ? undefined : monthIndexOfDate(best);
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
      return { id: p.id, label: p.name ? `${p.name} (${p.id})` : p.id, valid, invalid, linked };
    });
    return this.people;
  }
}

export type { AssociationKind };
