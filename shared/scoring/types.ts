import type { SimulationChange } from './changes';
import type { AreaId, Track } from './snapshot';

/** Scoring-time settings for the reference's open questions; every field has a default (see DEFAULT_SCORING_SETTINGS). */
export interface ScoringSettings {
  /** "Points in every metric": 'gt0' (PCS page, MW skilling text) or 'gte1' (area pages: "at least one point"). Mirrors QUALIFY_METRIC_TEST. */
  qualifyMetricTest: 'gt0' | 'gte1';
  /** Azure usage growth compares last month with the same month last year ('month', support's reading) or trailing-12-month totals ('ttm', the page's definition). */
  azureUsageGrowthBasis: 'month' | 'ttm';
  /** Points from growth metrics: 'linear' (fractional, as the Modern Work formulas) or 'floor' ("every USD 1,250 gets you one point"). */
  growthPointsRounding: 'linear' | 'floor';
  /** Net counts below zero give zero units ('floor-zero'); 'offset' lets a negative part reduce the other part of a summed metric (Security). */
  negativeNet: 'floor-zero' | 'offset';
  /** Azure SMB track: 80% of customers SMB ('customer-share', the Azure page), or also under USD 1M ACR in 12 months ('customer-share-and-acr'). */
  azureSmbRule: 'customer-share' | 'customer-share-and-acr';
  /** Modern Work and Security: take the higher total ('higher-total', the pages), or prefer a track that qualifies ('qualifying-first'). */
  bestTrackSelection: 'higher-total' | 'qualifying-first';
  /** Telemetry counts only while the partner holds an active association of the row's type on that tenant. */
  requireActiveAssociation: boolean;
  /**
   * Which associations decide the year-ago side (net counts' "same month last year", growth baselines):
   * 'in-effect-then' (the associations in place in that month, so a customer lost since offsets an add) or
   * 'evaluation-date' (those in place on the evaluation date, the engine's reading before issue 14: a lost customer
   * drops out of both sides). Mirrors YEAR_AGO_ASSOCIATIONS.
   */
  yearAgoAssociations: 'in-effect-then' | 'evaluation-date';
  /** Days between earning a certification and Partner Center counting it (the pages say up to 10). */
  skillingLagDays: number;
  /** The gap planner's cost of each kind of addition. */
  gapCosts: GapCosts;
}

/** Settings as given: every field optional, the cost weights each on their own. */
export type ScoringSettingsInput = Partial<Omit<ScoringSettings, 'gapCosts'>> & { gapCosts?: Partial<GapCosts> };

export type Family = 'performance' | 'skilling' | 'customer-success';
export type MetricId = 'net-customer-adds' | 'intermediate-certifications' | 'advanced-certifications' | 'usage-growth' | 'deployments';

/**
 * Designation status of an area: `not-started`, `in-progress` and `qualified` come from the day's score, the enrolled
 * ones from the snapshot's enrollments, and `eligible-to-enroll` from the qualification window: a partner not
 * enrolled that qualified on a day of the window may enrol although it is below 70 today (see withEligibility).
 */
export type AreaStatus = 'not-started' | 'in-progress' | 'qualified' | 'eligible-to-enroll' | 'enrolled' | 'enrolled-renewal-due';
export const AREA_STATUSES: readonly AreaStatus[] = ['not-started', 'in-progress', 'qualified', 'eligible-to-enroll', 'enrolled', 'enrolled-renewal-due'];

/** Why an area that does not qualify today may still enrol: the last day it qualified, and the last day that counts. */
export interface Eligibility {
  qualifiedOn: string;
  eligibleUntil: string;
}

export interface ExplanationLine {
  kind: 'counted' | 'not-counted' | 'note';
  /** What the line is about: a tenant, a person, a workload, a certification, or the metric itself. */
  subject: string;
  /** Plain words: why it counted or why not. */
  reason: string;
}

export interface MetricScore {
  id: MetricId;
  name: string;
  family: Family;
  track: Track;
  points: number;
  max: number;
  /** What the metric counts (net customers, people, percent growth, deployments...). */
  units: number;
  unitLabel: string;
  /** Units that earn the maximum (the threshold), when the metric is linear in its units. */
  unitsForMax?: number;
  explanation: ExplanationLine[];
  /** How more points could be earned here, in words. */
  gapHint: GapHint;
  /** The counts behind the points, for the gap planner's model (a symbol key: never serialised). */
  [PLAN_STATE]?: PlanState;
}

/** Key of MetricScore's planner state: a symbol, so JSON output and stored breakdowns never carry it. */
export const PLAN_STATE: unique symbol = Symbol('planState');

/**
 * What a metric's points are made of, in the quantities additions change: the gap planner (plan.ts) adds the
 * effect of each addition to these and recomputes the points with the metric's own formula.
 */
export type PlanState =
  | { kind: 'net-count'; combine: 'sum' | 'best'; parts: { net: number; unitsForMax: number }[] }
  | { kind: 'growth-percent'; now: number; base: number; blocked: boolean; pointsPerPercent: number }
  | { kind: 'growth-absolute'; combine: 'sum' | 'best'; parts: { growth: number; unitsForMax: number }[] }
  | { kind: 'distinct-workloads'; units: number; unitsForMax: number; keys: readonly string[] }
  | { kind: 'skilling'; gates: { holders: number; minPeople: number; points: number }[]; qualifying: number; perPerson: number };

export interface GapHint {
  /** Points each additional unit adds (0 when the metric cannot grow by additions, e.g. a growth baseline below its minimum). */
  pointsPerUnit: number;
  /** Additions needed before any unit earns points (skilling gate certifications), with what they are. */
  prerequisites: { add: number; what: string; points: number }[];
  /** What one unit is, in words ("net new customer", "certified person", "percentage point of growth"). */
  unitDescription: string;
  /** The same for several units ("net new customers", "people certified in one of: ..."). */
  unitDescriptionPlural: string;
  /** Why the metric cannot be improved by additions, when pointsPerUnit is 0. */
  blockedReason?: string;
}

export interface TrackScore {
  track: Track;
  total: number;
  metrics: MetricScore[];
  qualifies: boolean;
}

/** The cost model of the gap planner: what one unit of each kind of addition costs (docs/scoring.md). */
export interface GapCosts {
  /** A new customer that counts for net customer adds. */
  customer: number;
  /** A person who earns one certification. */
  certifiedPerson: number;
  /** A new deployment (an Azure service, or a workload deployment at a customer). */
  deployment: number;
  /** One point of usage growth (one percentage point, or the users or USD worth one point). */
  growthPoint: number;
}

export type GapLever = 'customer' | 'certified-person' | 'deployment' | 'growth';

export interface GapStep {
  lever: GapLever;
  /** The metric the addition is for. */
  metricId: MetricId;
  metricName: string;
  add: number;
  what: string;
  /** Points the area total gains from this step after the steps before it. */
  pointsGained: number;
  /** Every metric this step raises (an addition can raise more than one, and a gate step unlocks people already held), by how much. */
  gains: { metricId: MetricId; metricName: string; points: number }[];
  /** The area total after this step and those before it. */
  totalAfter: number;
  cost: number;
  /** This step as POST /simulate changes; a plan's steps' changes together give its total. */
  changes: SimulationChange[];
}

/** A plan verified by re-scoring the snapshot with its changes applied. */
export interface GapPlan {
  track: Track;
  steps: GapStep[];
  cost: number;
  /** The re-scored total with every step applied. */
  totalAfter: number;
  metricsAfter: { metricId: MetricId; points: number }[];
}

export interface Gap {
  qualifies: boolean;
  total: number;
  /** Points missing to 70 today. */
  pointsShort: number;
  zeroMetrics: MetricId[];
  /** True when a verified plan exists (or the area qualifies). */
  reachable: boolean;
  /** The cheapest plan's steps (empty when none). */
  steps: GapStep[];
  /** The re-scored total with the cheapest plan applied. */
  totalAfter: number;
  cost: number;
  /** The track the plan qualifies in. */
  track?: Track;
  /** Up to two more verified plans, each doing without one of the cheapest plan's levers. */
  alternatives: GapPlan[];
  costModel: GapCosts;
  /** False when the search stopped at its budget: the plan is the cheapest found, not proven cheapest. */
  searchComplete: boolean;
  /** Why there is no plan, or what limits the one given. */
  notes: string[];
}

export interface AreaScore {
  area: AreaId;
  name: string;
  ruleVersion: string;
  track: Track;
  trackReason: string;
  total: number;
  max: number;
  metrics: MetricScore[];
  /** Both tracks when the area computes both (Modern Work, Security in 2026); the chosen one is `track`. */
  tracks?: TrackScore[];
  qualifiesToday: boolean;
  status: AreaStatus;
  /** Set with status `eligible-to-enroll`. */
  eligibility?: Eligibility;
  zeroMetrics: MetricId[];
  gap?: Gap;
}

export interface PartnerScore {
  partnerId: string;
  date: string;
  ruleVersion: string;
  settings: ScoringSettings;
  areas: AreaScore[];
}

export interface ScoreOptions {
  /** Evaluation date YYYY-MM-DD; consumption metrics use the months before this date's month. */
  date: string;
  /** A rule version id (see RULE_VERSIONS); default: the one in effect on `date`. */
  ruleVersion?: string;
  settings?: ScoringSettingsInput;
  /** Skip the gap computation (faster for daily series). Default true. */
  includeGap?: boolean;
}
