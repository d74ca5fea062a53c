import { addDays, monthIndex, monthLabel } from '../lib/dates';
import { applyChanges, type SimulationChange } from './changes';
import { fmt, rangeText, round6 } from './explain';
import { describeWindow, measureWords } from './metrics/net-count';
import { chooseTrack, evaluateTrack, lastTrack, metricPoints, modelTrack, quantities, saturation, trackTotal, type ModelTrack, type TrackResult } from './plan-model';
import type { Criterion, Measure, MetricRule, Range, RuleSet, Source } from './rules/schema';
import type { AreaId, AssociationType, CporRole, PartnerSnapshot, TelemetryRow, Track } from './snapshot';
import { workloadKey } from './telemetry-streams';
import { PLAN_STATE, type AreaScore, type Gap, type GapCosts, type GapLever, type GapPlan, type GapStep, type MetricId, type MetricScore, type ScoringSettings } from './types';

/**
 * The gap planner: the cheapest additions that make an area qualify, right by construction.
 *
 * 1. Levers: from the area's rules, every kind of addition that can raise a metric: a new customer meeting each
 *    net-count part's test (net customer adds, and deployments where they are per customer), a person with each gate
 *    step's certification and with a certification of each skilling metric (only ones still earnable on the date),
 *    a new Azure service, one percentage point (or one point's worth) of usage growth. Each lever's unit is a concrete
 *    list of simulation changes (new tenants with their association and usage, new professionals).
 * 2. Effects: each lever's unit is scored alone (a snapshot holding only it), which gives exactly what it adds to each
 *    metric's counts, including what it adds to other metrics (a Modern Work deployment tenant is also a customer).
 *    Counts add up across tenants and people, so a plan's points follow from the metrics' own formulas (plan-model.ts).
 * 3. Search: a branch-and-bound over how many units of each lever, cheapest first under the cost model (a unit's
 *    cost is what it adds: each new customer, certified person, deployment and point of usage growth, weighted by the
 *    settings' gapCosts), up to each lever's cap (the count past which it adds nothing).
 * 4. Verification: the cheapest plan, and up to two alternatives that leave out one of its levers, are applied with
 *    applyChanges (the function POST /simulate uses) and the area is scored again. Only plans that qualify on that
 *    re-score are returned, with the re-scored total.
 */

export const DEFAULT_GAP_COSTS: Readonly<GapCosts> = Object.freeze({ customer: 3, certifiedPerson: 4, deployment: 2, growthPoint: 1 });

/** Most units of one lever a plan may use. */
export const LEVER_CAP = 60;
/** Alternatives cost at most this many times the cheapest plan. */
export const ALTERNATIVE_COST_FACTOR = 2;
/** Candidate plans the search may evaluate before it stops with the cheapest found so far. */
export const SEARCH_BUDGET = 40_000;
/** Of the budget, what the alternatives may use once the cheapest plan is found. */
const ALTERNATIVES_BUDGET_SHARE = 0.4;

const QUALIFYING_TOTAL = 70;
const EPS = 1e-9;

export interface PlanInput {
  snapshot: PartnerSnapshot;
  area: AreaId;
  date: string;
  rules: RuleSet;
  settings: ScoringSettings;
  /** The area as scored today. */
  score: AreaScore;
  /** Scores this area of another snapshot with the same date, rules and settings, without a gap. */
  rescore: (snapshot: PartnerSnapshot) => AreaScore;
}

interface Lever {
  id: string;
  kind: GapLever;
  track: Track;
  metricId: MetricId;
  metricName: string;
  /** A gate step: listed before the other steps, so its line shows what it unlocks. */
  gate: boolean;
  unit: (i: number) => SimulationChange[];
  describe: (n: number) => string;
  /** Per model track, what one unit adds to each quantity. */
  effect: Float64Array[];
  cost: number;
  cap: number;
  /** Per model track: at most this many points per unit, in any plan (a gate step: the whole metric it unlocks). */
  pointsPerUnitBound: number[];
  /** Per model track: the metrics (indexes) a unit raises. */
  raises: number[][];
}

/** Real Azure service names to suggest as new deployments, in a stable order. */
const AZURE_SERVICE_CANDIDATES = [
  'Azure Functions', 'Azure Monitor', 'Azure Cosmos DB', 'Azure Kubernetes Service', 'App Service', 'Key Vault', 'Storage', 'Azure SQL Database',
  'Azure Data Factory', 'Azure Synapse Analytics', 'Azure Cache for Redis', 'Azure Container Apps', 'Event Hubs', 'Service Bus', 'Logic Apps',
  'API Management', 'Azure AI Search', 'Azure Machine Learning', 'Azure Databricks', 'Backup', 'Site Recovery', 'Azure DNS', 'Load Balancer',
  'Azure Firewall', 'Application Gateway', 'Azure Bastion', 'Azure OpenAI', 'Container Registry', 'Azure Stream Analytics', 'Azure Database for PostgreSQL',
];
/** A workload for sources that take every Azure service, preferring one that is not a deployment (Virtual Machines). */
const AZURE_ANY_WORKLOAD = ['Virtual Machines', 'Storage', 'Azure Monitor'];

const MEASURE_FIELD: Record<Measure, keyof TelemetryRow> = {
  acrUsd: 'acrUsd',
  revenueUsd: 'revenueUsd',
  paidSeats: 'paidSeats',
  activeUsers: 'activeUsers',
  mcv: 'mcvUnits',
  protectedUsers: 'protectedUsers',
};

const METRIC_NAMES: Record<MetricId, string> = {
  'net-customer-adds': 'Net customer adds',
  'intermediate-certifications': 'Intermediate certifications',
  'advanced-certifications': 'Advanced certifications',
  'usage-growth': 'Usage growth',
  deployments: 'Deployments',
};

function smallestIn(r: Range, integer: boolean): number {
  let v = r.min ? (r.min.inclusive ? r.min.value : integer ? Math.floor(r.min.value) + 1 : r.min.value + 1) : 1;
  if (integer) v = Math.ceil(v);
  return v;
}

/** The words after the count ("person" or "people"): a step reads "add <add> <what>". */
function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** The most points a unit with effect `e` can add to metric m in any plan: its slope, or the whole metric for a gate. */
function upperGain(m: ModelTrack['metrics'][number], e: Float64Array): number {
  const s = m.state;
  let g = 0;
  for (let i = 0; i < m.size; i++) {
    const v = e[m.offset + i]!;
    if (v <= EPS) continue;
    switch (s.kind) {
      case 'net-count':
        g += (v * m.max) / s.parts[i]!.unitsForMax;
        break;
      case 'growth-percent':
        g += s.blocked || s.base <= 0 ? 0 : (v * s.pointsPerPercent * 100) / s.base;
        break;
      case 'growth-absolute':
        g += (v * m.max) / s.parts[i]!.unitsForMax;
        break;
      case 'distinct-workloads':
        g += (v * m.max) / s.unitsForMax;
        break;
      case 'skilling':
        g += i < s.gates.length ? m.max : v * s.perPerson;
        break;
    }
  }
  return Math.min(g, m.max);
}

/** Builds the levers of one area, their units as changes, and measures their effects. */
class LeverFactory {
  readonly monthNow: number;
  readonly last: number;
  readonly levers: Lever[] = [];
  readonly blocked: string[] = [];
  private readonly prefix: string;
  private readonly assocStart: string;

  constructor(
    private readonly input: PlanInput,
    private readonly tracks: ModelTrack[],
  ) {
    this.monthNow = monthIndex(input.date);
    this.last = this.monthNow - 1;
    this.assocStart = `${monthLabel(this.monthNow - 24)}-01`;
    const s = input.snapshot;
    const taken = new Set<string>([...s.customers.map((c) => c.tenantId), ...s.telemetry.map((t) => t.tenantId), ...s.associations.map((a) => a.id), ...s.professionals.map((p) => p.id)]);
    let k = 1;
    const used = (p: string) => [...taken].some((x) => x.startsWith(p));
    let prefix = 'plan-';
    while (used(prefix)) prefix = `plan${++k}-`;
    this.prefix = prefix;
  }

  private month(i: number): string {
    return monthLabel(i);
  }

  /** A non-CPOR association kind when the source takes one, else its first CPOR role. */
  private association(source: Source): { type: AssociationType; role?: CporRole } {
    for (const k of ['PAL', 'CSP', 'DPOR'] as const) if (source.associations.includes(k)) return { type: k };
    const cpor = source.associations.find((k) => k.startsWith('CPOR:'))!;
    return { type: 'CPOR', role: cpor.slice(5) as CporRole };
  }

  private workload(source: Source, measure: Measure | undefined): string {
    const w = source.workloads;
    const excluded = new Set(w.exclude.map(workloadKey));
    if (w.include === 'all') return AZURE_ANY_WORKLOAD.find((n) => !excluded.has(workloadKey(n))) ?? 'Storage';
    const ok = w.include.filter((n) => !excluded.has(workloadKey(n)));
    if (measure === 'mcv' && source.mcvRates) return ok.find((n) => (source.mcvRates![workloadKey(n)] ?? 0) >= 1) ?? ok.find((n) => (source.mcvRates![workloadKey(n)] ?? 0) > 0) ?? ok[0]!;
    return ok[0]!;
  }

  /** A new tenant with an association the source accepts, and its rows. */
  private tenant(id: string, source: Source, track: Track, rows: Omit<TelemetryRow, 'tenantId' | 'platform' | 'associationType' | 'offer'>[]): SimulationChange[] {
    const a = this.association(source);
    return [
      { op: 'add-customer', customer: { tenantId: id, name: 'New customer (gap plan)', segment: track, cloud: 'commercial' } },
      { op: 'add-association', association: { id: `${id}-association`, type: a.type, tenantId: id, status: 'active', startDate: this.assocStart, ...(a.role ? { role: a.role } : {}) } },
      { op: 'add-telemetry', rows: rows.map((r) => ({ tenantId: id, platform: source.workloads.platform, associationType: a.type, offer: 'standard' as const, ...r })) },
    ];
  }

  private measureValue(source: Source, workload: string, measure: Measure, amount: number): Partial<TelemetryRow> {
    if (measure === 'mcv') {
      const rate = source.mcvRates?.[workloadKey(workload)] ?? 1;
      return { mcvUnits: Math.ceil(amount / rate - EPS) };
    }
    const integer = measure === 'paidSeats' || measure === 'activeUsers' || measure === 'protectedUsers';
    return { [MEASURE_FIELD[measure]]: integer ? Math.ceil(amount - EPS) : Math.ceil(amount * 100 - EPS) / 100 };
  }

  /** The month a criterion's window is met in: not last month when the window allows, so usage growth is untouched. */
  private criterionMonth(c: Criterion): number {
    switch (c.window.kind) {
      case 'month':
        return this.monthNow - c.window.monthsAgo;
      case 'any-month':
        return this.monthNow - Math.max(...c.window.monthsAgo);
      case 'ttm':
        return this.monthNow - c.window.monthsAgo - 1;
    }
  }

  /** One row that meets the criterion with the smallest value it accepts. */
  private criterionRow(source: Source, c: Criterion, workload: string): Omit<TelemetryRow, 'tenantId' | 'platform' | 'associationType' | 'offer'> {
    const integer = c.measure === 'paidSeats' || c.measure === 'activeUsers' || c.measure === 'protectedUsers';
    const v = smallestIn(c.range, integer);
    const row: Omit<TelemetryRow, 'tenantId' | 'platform' | 'associationType' | 'offer'> = { month: this.month(this.criterionMonth(c)), workload, ...this.measureValue(source, workload, c.measure, v) };
    if (c.activeShare && c.measure === 'paidSeats') {
      const paid = row.paidSeats ?? v;
      row.activeUsers = Math.ceil(paid * c.activeShare.value + (c.activeShare.inclusive ? 0 : 1) - EPS);
    }
    return row;
  }

  /** `supply`: how many units exist at all (new Azure service names run out). */
  add(l: Omit<Lever, 'effect' | 'cost' | 'cap' | 'pointsPerUnitBound' | 'raises'>, supply = LEVER_CAP): void {
    if (this.levers.some((x) => x.id === l.id)) return;
    this.levers.push({ ...l, effect: [], cost: 0, cap: supply, pointsPerUnitBound: [], raises: [] });
  }

  build(track: Track, rules: readonly MetricRule[], scored: readonly MetricScore[]): void {
    const { date, area } = this.input;
    const tag = `${area}-${track}`;
    for (const rule of rules) {
      const ms = scored.find((m) => m.id === rule.id);
      const state = ms?.[PLAN_STATE];
      if (!ms || !state) continue;
      if (rule.kind === 'net-count') {
        rule.parts.forEach((part, pi) => {
          const source = part.sources[0]!;
          const workload = this.workload(source, part.criterion.measure);
          const kind: GapLever = rule.id === 'deployments' ? 'deployment' : 'customer';
          const assoc = this.association(source);
          const test = `${measureWords(part.criterion)} ${rangeText(part.criterion.range)}${part.criterion.activeShare ? ` with ${fmt(part.criterion.activeShare.value * 100)}% of paid seats active` : ''} ${describeWindow(part.criterion, this.monthNow, 0)}`;
          const through = `through ${assoc.type === 'CPOR' ? `a CPOR claim (${assoc.role})` : assoc.type}`;
          this.add({
            id: `${tag}-${rule.id}-${pi}`,
            kind,
            track,
            metricId: rule.id,
            metricName: rule.name,
            gate: false,
            unit: (i) => this.tenant(`${this.prefix}${tag}-${rule.id}-${pi}-${i + 1}`, source, track, [this.criterionRow(source, part.criterion, workload)]),
            describe: (n) =>
              kind === 'customer'
                ? `${plural(n, 'new customer', 'new customers')} (${part.label}) with ${test}, ${through}`
                : `${plural(n, 'new deployment', 'new deployments')} (${part.label}), each at a new customer: ${test}, ${through}`,
          });
        });
      } else if (rule.kind === 'growth-percent') {
        if (state.kind !== 'growth-percent') continue;
        if (state.blocked || state.base <= 0) {
          this.blocked.push(`${rule.name}: ${ms.gapHint.blockedReason ?? 'the baseline is below the minimum'}`);
          continue;
        }
        const source = rule.sources[0]!;
        const workload = this.workload(source, rule.measure);
        const perPoint = state.base / 100 / rule.pointsPerPercent;
        const words = rule.measure === 'mcv' ? 'MCV' : rule.measure === 'acrUsd' ? 'USD ACR' : measureWords({ measure: rule.measure });
        this.add({
          id: `${tag}-${rule.id}`,
          kind: 'growth',
          track,
          metricId: rule.id,
          metricName: rule.name,
          gate: false,
          unit: (i) => this.tenant(`${this.prefix}${tag}-growth-${i + 1}`, source, track, [{ month: this.month(this.last), workload, ...this.measureValue(source, workload, rule.measure, perPoint) }]),
          describe: (n) => `${plural(n, 'point', 'points')} of usage growth: ${fmt(n * perPoint)} more ${words} in ${this.month(this.last)} (the baseline is ${fmt(state.base)} ${words} in ${this.month(this.last - 12)})`,
        });
      } else if (rule.kind === 'growth-absolute') {
        rule.parts.forEach((part, pi) => {
          const source = part.sources[0]!;
          const workload = this.workload(source, part.measure);
          const perPoint = Math.ceil(part.unitsForMax / rule.max - EPS);
          const unit = (i: number): SimulationChange[] => {
            const growthRow: Omit<TelemetryRow, 'tenantId' | 'platform' | 'associationType' | 'offer'> = { month: this.month(this.last), workload, ...this.measureValue(source, workload, part.measure, perPoint) };
            const rows = [growthRow];
            if (part.scope) {
              const scopeRow = this.criterionRow(source, { ...part.scope, window: part.scope.window.kind === 'ttm' ? part.scope.window : part.scope.window }, workload);
              if (scopeRow.month === growthRow.month) {
                for (const [k, v] of Object.entries(scopeRow)) if (k !== 'month' && k !== 'workload' && (growthRow as Record<string, unknown>)[k] === undefined) (growthRow as Record<string, unknown>)[k] = v;
              } else rows.unshift(scopeRow);
            }
            return this.tenant(`${this.prefix}${tag}-growth-${pi}-${i + 1}`, source, track, rows);
          };
          this.add({
            id: `${tag}-${rule.id}-${pi}`,
            kind: 'growth',
            track,
            metricId: rule.id,
            metricName: rule.name,
            gate: false,
            unit,
            describe: (n) => `${plural(n, 'point', 'points')} of usage growth: ${fmt(n * perPoint)} more ${part.unitLabel.replace(/ growth$/, '')} (${part.label}) in ${this.month(this.last)} than a year earlier, at new customers in this track`,
          });
        });
      } else if (rule.kind === 'distinct-workloads') {
        if (state.kind !== 'distinct-workloads') continue;
        const source = rule.sources[0]!;
        const have = new Set(state.keys);
        const excluded = new Set(source.workloads.exclude.map(workloadKey));
        const pool = source.workloads.include === 'all' ? AZURE_SERVICE_CANDIDATES : source.workloads.include;
        const names = pool.filter((n) => !have.has(workloadKey(n)) && !excluded.has(workloadKey(n)));
        if (!names.length) continue;
        const v = smallestIn(rule.range, false);
        this.add({
          id: `${tag}-${rule.id}`,
          kind: 'deployment',
          track,
          metricId: rule.id,
          metricName: rule.name,
          gate: false,
          unit: (i) => {
            const name = names[i % names.length]!;
            return this.tenant(`${this.prefix}${tag}-service-${i + 1}`, source, track, [{ month: this.month(this.monthNow - 2), workload: name, ...this.measureValue(source, name, rule.measure, v) }]);
          },
          describe: (n) => `${plural(n, 'Azure service', 'Azure services')} not used yet (${names.slice(0, n).join(', ')}) with consumption at a customer`,
        }, names.length);
      } else if (rule.kind === 'skilling') {
        const defs = new Map(this.input.rules.certifications.map((c) => [c.id, c]));
        const horizon = addDays(date, 90);
        const earnable = (ids: readonly string[]) => ids.filter((id) => {
          const r = defs.get(id)?.retiredOn;
          return !r || r > date;
        });
        const label = (id: string) => {
          const r = defs.get(id)?.retiredOn;
          const n = defs.get(id)?.name ?? id;
          return r && r <= horizon ? `${n} (retiring on ${r})` : n;
        };
        /** The certification a plan's new person earns: one that stays earnable past the horizon when there is one. */
        const pick = (ids: string[]) => ids.find((id) => !defs.get(id)?.retiredOn || defs.get(id)!.retiredOn! > horizon) ?? ids[0]!;
        const person = (id: string, cert: string): SimulationChange => ({
          op: 'add-professional',
          professional: { id, name: 'New certified person (gap plan)', linked: true, certifications: [{ certificationId: cert, earnedOn: addDays(date, -this.input.settings.skillingLagDays) }] },
        });
        rule.gates.forEach((g, gi) => {
          const certs = earnable(g.certifications);
          if (!certs.length) return;
          const cert = pick(certs);
          const step = g.label.replace(/^Step (\d+): .*/, 'step $1');
          this.add({
            id: `${tag}-${rule.id}-gate-${gi}`,
            kind: 'certified-person',
            track,
            metricId: rule.id,
            metricName: rule.name,
            gate: true,
            unit: (i) => [person(`${this.prefix}${tag}-${rule.id}-gate-${gi}-${i + 1}`, cert)],
            describe: (n) => `${plural(n, 'person', 'people')} certified in ${certs.map(label).join(' or ')} (${step}, a prerequisite)`,
          });
        });
        const certs = earnable(rule.certifications);
        if (!certs.length) {
          this.blocked.push(`${rule.name}: ${ms.gapHint.blockedReason ?? 'every certification of the metric is retired'}`);
          continue;
        }
        const cert = pick(certs);
        this.add({
          id: `${tag}-${rule.id}`,
          kind: 'certified-person',
          track,
          metricId: rule.id,
          metricName: rule.name,
          gate: false,
          unit: (i) => [person(`${this.prefix}${tag}-${rule.id}-${i + 1}`, cert)],
          describe: (n) => `${plural(n, 'person', 'people')} certified in one of: ${certs.map(label).join(', ')}`,
        });
      }
    }
  }

  /** Scores each lever's unit alone and keeps the levers that raise something, with their cost and cap. */
  measure(costs: GapCosts): void {
    const { area, rules } = this.input;
    const classified = rules.areas[area].trackMode !== 'best-of';
    const kept: Lever[] = [];
    for (const l of this.levers) {
      const empty: PartnerSnapshot = { schemaVersion: 1, partnerId: 'gap-plan-probe', enrollments: [], customers: [], associations: [], professionals: [], telemetry: [], ...(classified ? { trackOverrides: { [area]: this.tracks[0]!.track } } : {}) };
      const probe = applyChanges(empty, l.unit(0));
      if (probe.problems.length) continue;
      const scored = this.input.rescore(probe.snapshot);
      let any = false;
      let cost = 0;
      const adds = { customer: false, deployment: false, person: false, growth: 0 };
      l.effect = this.tracks.map((t) => {
        const metrics = classified ? scored.metrics : (scored.tracks?.find((x) => x.track === t.track)?.metrics ?? []);
        const e = new Float64Array(t.base.length);
        for (const m of t.metrics) {
          const st = metrics.find((x) => x.id === m.id)?.[PLAN_STATE];
          if (!st || st.kind !== m.state.kind) continue;
          const q = quantities(st);
          for (let i = 0; i < m.size; i++) {
            const v = q[i] ?? 0;
            if (v <= EPS) continue;
            e[m.offset + i] = v;
            any = true;
            if (m.state.kind === 'skilling') adds.person = true;
            else if (m.state.kind === 'growth-percent') {
              if (!m.state.blocked && m.state.base > 0) adds.growth = Math.max(adds.growth, (v * m.state.pointsPerPercent * 100) / m.state.base);
            }
            else if (m.state.kind === 'growth-absolute') adds.growth = Math.max(adds.growth, (v * m.max) / m.state.parts[i]!.unitsForMax);
            else if (m.id === 'net-customer-adds') adds.customer = true;
            else adds.deployment = true;
          }
        }
        return e;
      });
      if (!any) continue;
      if (adds.person) cost += costs.certifiedPerson;
      if (adds.customer) cost += costs.customer;
      if (adds.deployment) cost += costs.deployment;
      cost += adds.growth * costs.growthPoint;
      l.cost = round6(Math.max(cost, EPS));
      // The cap: units past which the lever adds nothing to its own metric (what it adds elsewhere is a bonus).
      let cap = 0;
      l.pointsPerUnitBound = [];
      l.raises = [];
      this.tracks.forEach((t, ti) => {
        let perUnit = 0;
        const raises: number[] = [];
        t.metrics.forEach((m, mi) => {
          const g = upperGain(m, l.effect[ti]!);
          if (g > EPS) raises.push(mi);
          perUnit += g;
        });
        l.pointsPerUnitBound.push(perUnit);
        l.raises.push(raises);
        for (const m of t.metrics) {
          if (m.id !== l.metricId) continue;
          const rule = rules.areas[area].tracks[t.track]?.metrics.find((r) => r.id === m.id);
          if (!rule) continue;
          for (let i = 0; i < m.size; i++) {
            const e = l.effect[ti]![m.offset + i]!;
            if (e <= EPS) continue;
            const need = saturation(m, rule, i, t.base[m.offset + i]!);
            if (need > EPS) cap = Math.max(cap, Math.ceil(need / e - EPS));
          }
        }
      });
      l.cap = Math.min(cap, LEVER_CAP, l.cap);
      if (l.cap > 0) kept.push(l);
    }
    // Gate steps first (their loose bound then leaves the rest of the search), then few-unit levers: the many-unit
    // ones (growth) close the gap near the leaves.
    kept.sort((a, b) => Number(b.gate) - Number(a.gate) || a.cap - b.cap);
    this.levers.length = 0;
    this.levers.push(...kept);
  }
}

interface Candidate {
  counts: number[];
  cost: number;
  total: number;
}

/** Branch and bound over lever counts; `allowed` masks levers out. */
class Search {
  complete = true;
  get evaluations(): number {
    return this.budget.used;
  }
  private readonly q: Float64Array[];
  private readonly scratch: Float64Array[];
  private readonly suffix: Float64Array[][];
  private best: Candidate | undefined;
  private readonly counts: number[];
  private readonly caps: number[];
  /** Per track: lever indexes by cost per point, cheapest first (for the lower bound). */
  private readonly byRatio: number[][];
  private readonly points: Float64Array[];

  constructor(
    private readonly tracks: ModelTrack[],
    private readonly levers: Lever[],
    allowed: (l: Lever) => boolean,
    private readonly settings: ScoringSettings,
    /** Only plans cheaper than this are of interest (the best another search found). */
    private readonly bound: number,
    /** Evaluations shared by every search of one plan. */
    private readonly budget: { used: number; limit: number },
  ) {
    this.caps = levers.map((l) => (allowed(l) ? l.cap : 0));
    this.counts = levers.map(() => 0);
    this.q = tracks.map((t) => Float64Array.from(t.base));
    this.scratch = tracks.map((t) => new Float64Array(t.base.length));
    this.byRatio = tracks.map((_, ti) =>
      levers
        .map((_, i) => i)
        .filter((i) => this.caps[i]! > 0 && levers[i]!.pointsPerUnitBound[ti]! > EPS)
        .sort((a, b) => levers[a]!.cost / levers[a]!.pointsPerUnitBound[ti]! - levers[b]!.cost / levers[b]!.pointsPerUnitBound[ti]!),
    );
    this.points = tracks.map((t) => new Float64Array(t.metrics.length));
    // suffix[d][t]: what levers d.. add at their caps.
    this.suffix = [];
    for (let d = levers.length; d >= 0; d--) {
      this.suffix[d] = tracks.map((t, ti) => {
        const v = new Float64Array(t.base.length);
        if (d < levers.length) {
          const next = this.suffix[d + 1]![ti]!;
          const e = levers[d]!.effect[ti]!;
          for (let i = 0; i < v.length; i++) v[i] = next[i]! + this.caps[d]! * e[i]!;
        }
        return v;
      });
    }
  }

  evaluate(q: readonly Float64Array[]): TrackResult {
    return chooseTrack(this.tracks.map((t, ti) => evaluateTrack(t, q[ti]!, this.settings)), this.settings);
  }

  /** The reported track qualifies (the engine's track choice applied to the modelled totals); sets `lastTotal`. */
  private lastTotal = 0;
  private qualifies(q: readonly Float64Array[]): boolean {
    this.budget.used++;
    if (this.tracks.length === 1) {
      this.lastTotal = trackTotal(this.tracks[0]!, q[0]!, this.settings);
      return lastTrack.allPass && this.lastTotal >= QUALIFYING_TOTAL;
    }
    const e = this.tracks[0]!.track === 'enterprise' ? 0 : 1;
    const entTotal = trackTotal(this.tracks[e]!, q[e]!, this.settings);
    const entQ = lastTrack.allPass && entTotal >= QUALIFYING_TOTAL;
    const smbTotal = trackTotal(this.tracks[1 - e]!, q[1 - e]!, this.settings);
    const smbQ = lastTrack.allPass && smbTotal >= QUALIFYING_TOTAL;
    let smb: boolean;
    if (this.settings.bestTrackSelection === 'qualifying-first' && entQ !== smbQ) smb = smbQ;
    else smb = smbTotal > entTotal || (smbTotal === entTotal && smbQ && !entQ);
    this.lastTotal = smb ? smbTotal : entTotal;
    return smb ? smbQ : entQ;
  }

  /** Some track qualifies with levers d.. at their caps: monotone in every count, so it bounds the search soundly. */
  private feasible(d: number): boolean {
    this.budget.used++;
    for (let ti = 0; ti < this.tracks.length; ti++) {
      const q = this.q[ti]!;
      const s = this.suffix[d]![ti]!;
      const tmp = this.scratch[ti]!;
      for (let i = 0; i < q.length; i++) tmp[i] = q[i]! + s[i]!;
      const total = trackTotal(this.tracks[ti]!, tmp, this.settings);
      if (lastTrack.allPass && total >= QUALIFYING_TOTAL) return true;
    }
    return false;
  }

  private step(d: number, n: number): void {
    const l = this.levers[d]!;
    for (let ti = 0; ti < this.q.length; ti++) {
      const q = this.q[ti]!;
      const e = l.effect[ti]!;
      for (let i = 0; i < q.length; i++) q[i]! += n * e[i]!;
    }
  }

  private consider(cost: number): void {
    const total = this.lastTotal;
    if (!this.best || cost < this.best.cost - EPS || (Math.abs(cost - this.best.cost) <= EPS && total > this.best.total + EPS)) this.best = { counts: [...this.counts], cost: round6(cost), total };
  }

  /** A first plan to bound the search: every lever at its cap, then each lowered while the area still qualifies. */
  private greedy(): void {
    const order = this.levers.map((_, i) => i).sort((a, b) => this.levers[b]!.cost - this.levers[a]!.cost);
    for (let d = 0; d < this.levers.length; d++) {
      this.counts[d] = this.caps[d]!;
      this.step(d, this.caps[d]!);
    }
    if (!this.qualifies(this.q)) {
      for (let d = 0; d < this.levers.length; d++) this.step(d, -this.counts[d]!);
      this.counts.fill(0);
      return;
    }
    for (const d of order) {
      while (this.counts[d]! > 0) {
        this.step(d, -1);
        if (this.qualifies(this.q)) this.counts[d]!--;
        else {
          this.step(d, 1);
          break;
        }
      }
    }
    let cost = 0;
    this.counts.forEach((n, d) => (cost += n * this.levers[d]!.cost));
    this.qualifies(this.q);
    this.consider(cost);
    for (let d = 0; d < this.levers.length; d++) this.step(d, -this.counts[d]!);
    this.counts.fill(0);
  }

  run(): Candidate | undefined {
    if (!this.feasible(0)) return undefined;
    this.greedy();
    if (this.best && this.best.cost > this.bound + EPS) this.best = undefined;
    this.dfs(0, 0);
    return this.best;
  }

  /** The last lever: the fewest units that qualify (found by bisection on the monotone test, then checked exactly). */
  private leaf(d: number, cost: number): void {
    const l = this.levers[d]!;
    const cap = Math.min(this.caps[d]!, Math.floor((this.limit() - cost) / l.cost + EPS));
    if (cap < 1) return;
    let lo = 1;
    let hi = cap;
    this.step(d, hi);
    const ok = this.feasible(d + 1);
    this.step(d, -hi);
    if (!ok) return;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      this.step(d, mid);
      const f = this.feasible(d + 1);
      this.step(d, -mid);
      if (f) hi = mid;
      else lo = mid + 1;
    }
    for (let n = lo; n <= cap; n++) {
      this.step(d, n);
      this.counts[d] = n;
      const q = this.qualifies(this.q);
      this.step(d, -n);
      if (q) {
        this.counts[d] = n;
        this.consider(cost + n * l.cost);
        break;
      }
    }
    this.counts[d] = 0;
  }

  /**
   * A lower bound on what levers d.. must still cost for some track to qualify: the points missing to 70 bought at each
   * lever's best cost per point (each lever giving at most its cap's worth, and no more than the room left in the
   * metrics it raises), and at least the cheapest lever that raises each metric still without points.
   */
  private lowerBound(d: number): number {
    let best = Infinity;
    for (let ti = 0; ti < this.tracks.length; ti++) {
      const t = this.tracks[ti]!;
      const q = this.q[ti]!;
      const pts = this.points[ti]!;
      let total = 0;
      for (let mi = 0; mi < t.metrics.length; mi++) {
        pts[mi] = metricPoints(t.metrics[mi]!, q, this.settings);
        total += pts[mi]!;
      }
      let missing = QUALIFYING_TOTAL - Math.min(100, total);
      let lb = 0;
      for (const i of this.byRatio[ti]!) {
        if (missing <= EPS) break;
        if (i < d) continue;
        const l = this.levers[i]!;
        const rate = l.pointsPerUnitBound[ti]!;
        let room = 0;
        for (const mi of l.raises[ti]!) room += t.metrics[mi]!.max - pts[mi]!;
        const take = Math.min(missing, this.caps[i]! * rate, room);
        if (take <= EPS) continue;
        lb += (take * l.cost) / rate;
        missing -= take;
      }
      if (missing > EPS) continue;
      const gte1 = this.settings.qualifyMetricTest === 'gte1';
      for (let mi = 0; mi < t.metrics.length; mi++) {
        const p = pts[mi]!;
        if (gte1 ? p >= 1 : p > 0) continue;
        let cheapest = Infinity;
        for (let i = d; i < this.levers.length; i++) if (this.caps[i]! > 0 && this.levers[i]!.cost < cheapest && this.levers[i]!.raises[ti]!.includes(mi)) cheapest = this.levers[i]!.cost;
        if (cheapest > lb) lb = cheapest;
      }
      if (lb < best) best = lb;
    }
    return best;
  }

  private limit(): number {
    return this.best ? this.best.cost : this.bound;
  }

  private dfs(d: number, cost: number): void {
    if (this.budget.used > this.budget.limit) {
      this.complete = false;
      return;
    }
    if (this.qualifies(this.q)) {
      // Adding anything more costs more: this prefix, with nothing after it, is the best of its subtree.
      this.consider(cost);
      return;
    }
    if (d === this.levers.length) return;
    const limit = this.limit();
    if (limit < Infinity && cost + this.lowerBound(d) > limit + EPS) return;
    const l = this.levers[d]!;
    if (d === this.levers.length - 1) {
      this.leaf(d, cost);
      return;
    }
    let applied = 0;
    for (let n = 0; n <= this.caps[d]!; n++) {
      const c = cost + n * l.cost;
      if (c > this.limit() + EPS) break;
      if (n > 0) {
        this.step(d, 1);
        applied++;
        this.counts[d] = n;
      }
      if (!this.feasible(d + 1)) continue;
      this.dfs(d + 1, c);
      if (!this.complete) break;
    }
    if (applied) this.step(d, -applied);
    this.counts[d] = 0;
  }
}

function modelTracks(input: PlanInput): ModelTrack[] {
  const { score } = input;
  const of = (metrics: readonly MetricScore[]) => metrics.filter((m) => m[PLAN_STATE]).map((m) => ({ id: m.id, name: m.name, max: m.max, state: m[PLAN_STATE]! }));
  if (score.tracks && input.rules.areas[input.area].trackMode === 'best-of') return score.tracks.map((t) => modelTrack(t.track, of(t.metrics)));
  return [modelTrack(score.track, of(score.metrics))];
}

/** The plan's steps in order (gate steps first, then the one adding most each time), with each step's gains. */
function stepsOf(tracks: ModelTrack[], levers: Lever[], counts: number[], settings: ScoringSettings, finalTrack: Track): GapStep[] {
  const ti = Math.max(0, tracks.findIndex((t) => t.track === finalTrack));
  const q = tracks.map((t) => Float64Array.from(t.base));
  const pointsOf = () => evaluateTrack(tracks[ti]!, q[ti]!, settings);
  let before = pointsOf();
  const left = levers.map((l, i) => ({ l, n: counts[i]! })).filter((x) => x.n > 0);
  const steps: GapStep[] = [];
  const apply = (l: Lever, n: number, sign: number) => {
    for (let k = 0; k < q.length; k++) for (let i = 0; i < q[k]!.length; i++) q[k]![i]! += sign * n * l.effect[k]![i]!;
  };
  while (left.length) {
    let pick = left.findIndex((x) => x.l.gate);
    if (pick < 0) {
      let bestGain = -Infinity;
      left.forEach((x, i) => {
        apply(x.l, x.n, 1);
        const g = pointsOf().total - before.total;
        apply(x.l, x.n, -1);
        if (g > bestGain + EPS) {
          bestGain = g;
          pick = i;
        }
      });
    }
    const { l, n } = left.splice(pick, 1)[0]!;
    apply(l, n, 1);
    const after = pointsOf();
    const gains = tracks[ti]!.metrics
      .map((m, i) => ({ metricId: m.id, metricName: m.name, points: round6(after.points[i]! - before.points[i]!) }))
      .filter((g) => Math.abs(g.points) > EPS);
    const changes: SimulationChange[] = [];
    for (let k = 0; k < n; k++) changes.push(...l.unit(k));
    steps.push({ lever: l.kind, metricId: l.metricId, metricName: l.metricName || METRIC_NAMES[l.metricId], add: n, what: l.describe(n), pointsGained: round6(after.total - before.total), gains, totalAfter: after.total, cost: round6(n * l.cost), changes });
    before = after;
  }
  return steps;
}

interface Verified {
  plan: GapPlan;
  levers: Set<string>;
}

function verify(input: PlanInput, tracks: ModelTrack[], levers: Lever[], c: Candidate): Verified | { failed: string } {
  const changes: SimulationChange[] = [];
  levers.forEach((l, i) => {
    for (let k = 0; k < c.counts[i]!; k++) changes.push(...l.unit(k));
  });
  const applied = applyChanges(input.snapshot, changes);
  if (applied.problems.length) return { failed: `the plan's changes do not apply: ${applied.problems[0]!.message}` };
  const after = input.rescore(applied.snapshot);
  if (!after.qualifiesToday) return { failed: `re-scored with the plan applied, the area reaches ${fmt(after.total)} without qualifying` };
  const steps = stepsOf(tracks, levers, c.counts, input.settings, after.track);
  return {
    plan: { track: after.track, steps, cost: c.cost, totalAfter: after.total, metricsAfter: after.metrics.map((m) => ({ metricId: m.id, points: m.points })) },
    levers: new Set(levers.filter((_, i) => c.counts[i]! > 0).map((l) => l.id)),
  };
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** The levers the planner would search for an area (their units, costs and caps); for tests that search by brute force. */
export function planLevers(input: PlanInput): { id: string; cost: number; cap: number; unit: (i: number) => SimulationChange[] }[] {
  const tracks = modelTracks(input);
  const factory = new LeverFactory(input, tracks);
  const rules = input.rules.areas[input.area];
  for (const t of tracks) {
    const tr = rules.tracks[t.track];
    const scored = input.score.tracks?.find((x) => x.track === t.track)?.metrics ?? input.score.metrics;
    if (tr) factory.build(t.track, tr.metrics, scored);
  }
  factory.measure(input.settings.gapCosts);
  return factory.levers.map((l) => ({ id: l.id, cost: l.cost, cap: l.cap, unit: l.unit }));
}

/** The gap to qualification: the cheapest verified plan and up to two alternatives, or why there is none. */
export function planToQualify(input: PlanInput): Gap {
  const { score, settings } = input;
  const costs = settings.gapCosts;
  const zeroMetrics = score.zeroMetrics;
  const pointsShort = round6(Math.max(0, QUALIFYING_TOTAL - score.total));
  const base = { qualifies: score.qualifiesToday, total: score.total, pointsShort, zeroMetrics, costModel: { ...costs } };
  if (score.qualifiesToday) return { ...base, reachable: true, steps: [], totalAfter: score.total, cost: 0, alternatives: [], searchComplete: true, notes: [] };
  const tracks = modelTracks(input);
  const trackNow = (t: ModelTrack) => trackTotal(t, t.base, settings);
  const factory = new LeverFactory(input, tracks);
  const rules = input.rules.areas[input.area];
  for (const t of tracks) {
    const tr = rules.tracks[t.track];
    const scored = score.tracks?.find((x) => x.track === t.track)?.metrics ?? score.metrics;
    if (tr) factory.build(t.track, tr.metrics, scored);
  }
  factory.measure(costs);
  const levers = factory.levers;
  const notes: string[] = [];
  // Best-of areas: a plan raises one track; each is searched with its own levers (the model still scores both).
  // The track nearer to 70 first (SMB on a tie: its thresholds are lower), so its plan bounds the other's search.
  const order = [...tracks].sort((x, y) => (y.track === 'smb' ? 1 : 0) - (x.track === 'smb' ? 1 : 0)).sort((x, y) => trackNow(y) - trackNow(x));
  const groups = tracks.length > 1 ? order.map((t) => (l: Lever) => l.track === t.track) : [() => true];
  let complete = true;
  const memo = new Map<string, { c: Candidate | undefined; s: Search }>();
  const budget = { used: 0, limit: SEARCH_BUDGET };
  const searchWith = (extra: (l: Lever) => boolean, ceiling = Infinity): { c: Candidate; s: Search } | undefined => {
    let best: { c: Candidate; s: Search } | undefined;
    for (const g of groups) {
      const allowed = (l: Lever) => g(l) && extra(l);
      const key = levers.map((l) => (allowed(l) ? '1' : '0')).join('');
      const bound = Math.min(best ? best.c.cost : Infinity, ceiling);
      const mkey = `${key}|${bound}`;
      let hit = memo.get(mkey);
      if (!hit) {
        const s = new Search(tracks, levers, allowed, settings, bound, budget);
        hit = { c: s.run(), s };
        memo.set(mkey, hit);
      }
      const { c, s } = hit;
      if (!s.complete) complete = false;
      if (c && (!best || c.cost < best.c.cost - EPS || (Math.abs(c.cost - best.c.cost) <= EPS && c.total > best.c.total + EPS))) best = { c, s };
    }
    return best;
  };
  const found = searchWith(() => true);
  if (!found) {
    notes.push(...factory.blocked);
    const atCaps = new Search(tracks, levers, () => true, settings, Infinity, { used: 0, limit: 0 });
    const q = tracks.map((t, ti) => {
      const v = Float64Array.from(t.base);
      for (const l of levers) for (let i = 0; i < v.length; i++) v[i]! += l.cap * l.effect[ti]![i]!;
      return v;
    });
    const r = atCaps.evaluate(q);
    const failing = tracks.find((t) => t.track === r.track)!.metrics.filter((_, i) => !(r.points[i]! > 0)).map((m) => m.name);
    notes.push(`no plan within the caps: with every addition at its most useful count the area reaches ${fmt(r.total)}${failing.length ? ` and ${failing.join(', ')} still ${failing.length === 1 ? 'has' : 'have'} no points` : ''}`);
    return { ...base, reachable: false, steps: [], totalAfter: score.total, cost: 0, alternatives: [], searchComplete: complete, notes };
  }
  const primary = verify(input, tracks, levers, found.c);
  if ('failed' in primary) {
    notes.push(`the cheapest plan found did not verify (${primary.failed}); no plan is given`);
    return { ...base, reachable: false, steps: [], totalAfter: score.total, cost: 0, alternatives: [], searchComplete: complete, notes };
  }
  // The alternatives get a share of the budget of their own; running out of it only leaves them out.
  budget.used = 0;
  budget.limit = Math.round(SEARCH_BUDGET * ALTERNATIVES_BUDGET_SHARE);
  const primaryComplete = complete;
  // Alternatives: the cheapest plans that do without one of the primary plan's levers, most expensive lever first.
  const alternatives: Verified[] = [];
  const used = levers.filter((l) => primary.levers.has(l.id)).sort((a, b) => b.cost - a.cost);
  const candidates: { c: Candidate; s: Search }[] = [];
  for (const l of used) {
    const alt = searchWith((x) => x.id !== l.id, ALTERNATIVE_COST_FACTOR * found.c.cost);
    if (alt) candidates.push(alt);
  }
  candidates.sort((a, b) => a.c.cost - b.c.cost);
  for (const alt of candidates) {
    if (alternatives.length >= 2) break;
    const set = new Set(levers.filter((_, i) => alt.c.counts[i]! > 0).map((l) => l.id));
    if (sameSet(set, primary.levers) || alternatives.some((a) => sameSet(a.levers, set))) continue;
    const v = verify(input, tracks, levers, alt.c);
    if (!('failed' in v)) alternatives.push(v);
  }
  complete = primaryComplete;
  if (!complete) notes.push(`the search stopped after ${SEARCH_BUDGET} candidates: the plan is the cheapest found, not proven cheapest`);
  const p = primary.plan;
  return { ...base, reachable: true, track: p.track, steps: p.steps, totalAfter: p.totalAfter, cost: p.cost, alternatives: alternatives.map((a) => a.plan), searchComplete: complete, notes };
}
