/** The API's answers as the page reads them (docs/scores.md and GET /api/openapi.json are the reference). */
export type AreaStatus = 'not-started' | 'in-progress' | 'qualified' | 'eligible-to-enroll' | 'enrolled' | 'enrolled-renewal-due';

export interface MetricSummary {
  id: string;
  name: string;
  points: number;
  max: number;
}

export interface AreaSummary {
  area: string;
  name: string;
  total: number;
  status: AreaStatus;
  qualifiesToday: boolean;
  zeroMetrics: string[];
  metrics: MetricSummary[];
  eligibility?: { qualifiedOn: string; eligibleUntil: string };
}

export interface Scores {
  partnerId: string;
  date: string;
  computedAt: string;
  areas: AreaSummary[];
  projectedLosses: { area: string; lossDate: string; reason: string }[];
}

export interface Explanation {
  kind: 'counted' | 'not-counted' | 'note';
  subject: string;
  reason: string;
}

export interface GapStep {
  lever: 'customer' | 'certified-person' | 'deployment' | 'growth';
  metricId: string;
  metricName: string;
  add: number;
  what: string;
  pointsGained: number;
  totalAfter: number;
  changes: unknown[];
}

export interface Breakdown {
  area: string;
  name: string;
  total: number;
  max: number;
  status: AreaStatus;
  qualifiesToday: boolean;
  track: string;
  trackReason?: string;
  zeroMetrics: string[];
  metrics: { id: string; name: string; points: number; max: number; units: number; unitLabel: string; explanation: Explanation[] }[];
  gap?: { qualifies: boolean; pointsShort: number; reachable: boolean; steps: GapStep[]; totalAfter: number; notes?: string[] };
}

export interface History {
  from: string;
  to: string;
  days: { date: string; total: number; qualified: boolean; status: string }[];
  months: { month: string; highest: number }[];
}

export interface Forecast {
  asOf: string;
  today: { area: string; total: number; status: string }[];
  monthEnds: { date: string; areas: { area: string; total: number; status: string }[] }[];
  losses: { area: string; name: string; lossDate: string; reason: string }[];
}

export interface Simulation {
  date: string;
  changes: number;
  stored: false;
  areas: { area: string; name: string; before: { total: number; status: AreaStatus }; after: { total: number; status: AreaStatus }; delta: number }[];
}
