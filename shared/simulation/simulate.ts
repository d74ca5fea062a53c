import { scorePartner, type AreaScore, type AreaStatus } from '../scoring';
import { appScoringSettings } from '../config/scoring';
import { todayUtc } from '../lib/dates';
import { loadPartnerSnapshot } from '../state/state-store';
import { applyChanges, resolveCertificationNames, type ChangeProblem, type SimulationRequest, type UnresolvedName } from './changes';

export interface AreaComparison {
  area: string;
  name: string;
  before: { total: number; status: AreaStatus; qualifies: boolean };
  after: { total: number; status: AreaStatus; qualifies: boolean };
  delta: number;
}

export interface SimulationResult {
  partnerId: string;
  date: string;
  changes: number;
  stored: false;
  areas: AreaComparison[];
  /** The simulated breakdown of every area, with explanations and the remaining gap. */
  breakdown: AreaScore[];
}

export type SimulationOutcome =
  | { ok: true; value: SimulationResult }
  | { ok: false; kind: 'unknown-partner' }
  | { ok: false; kind: 'invalid-change'; problems: ChangeProblem[] }
  /** A certification named by something no rule set knows: 422 with suggestions. */
  | { ok: false; kind: 'unresolved'; problems: UnresolvedName[] };

/** Scores the stored state and the state with the changes applied, side by side. Nothing is written. */
export async function simulate(partnerId: string, request: SimulationRequest, today = todayUtc()): Promise<SimulationOutcome> {
  const named = resolveCertificationNames(request.changes);
  if (named.unresolved.length) return { ok: false, kind: 'unresolved', problems: named.unresolved };
  const base = await loadPartnerSnapshot(partnerId);
  if (!base) return { ok: false, kind: 'unknown-partner' };
  const date = request.date ?? today;
  const { snapshot, problems } = applyChanges(base, named.changes, { date });
  if (problems.length) return { ok: false, kind: 'invalid-change', problems };
  const settings = appScoringSettings();
  const before = scorePartner(base, { date, settings, includeGap: false });
  const after = scorePartner(snapshot, { date, settings });
  return {
    ok: true,
    value: {
      partnerId,
      date,
      changes: request.changes.length,
      stored: false,
      areas: after.areas.map((a) => {
        const b = before.areas.find((x) => x.area === a.area)!;
        return {
          area: a.area,
          name: a.name,
          before: { total: b.total, status: b.status, qualifies: b.qualifiesToday },
          after: { total: a.total, status: a.status, qualifies: a.qualifiesToday },
          delta: Math.round((a.total - b.total) * 1e6) / 1e6,
        };
      }),
      breakdown: after.areas,
    },
  };
}
