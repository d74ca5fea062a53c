import { AREA_NAMES, eligibleUntilOf, expiryOf, isLinkedOn, ruleSetFor, scorePartner, type AreaId, type PartnerScore, type PartnerSnapshot } from '../scoring';
import { addDays, daysBetween } from '../lib/dates';

/**
 * Expiry warnings: certifications of linked professionals that expire or reach the end of their post-retirement
 * eligibility within the horizon, with the points the partner would lose in each area. The points come from
 * the scoring engine: the partner is scored today as it is, and again without that one certification.
 * Pure: the snapshot and the date are arguments.
 */

export interface AreaPoints {
  area: AreaId;
  name: string;
  points: number;
}

export interface ExpiryWarning {
  professionalId: string;
  professionalName?: string;
  certificationId: string;
  certificationName: string;
  /** Last day it counts. */
  endsOn: string;
  why: 'expires' | 'retires';
  daysLeft: number;
  /** Areas where points would be lost (only areas with a loss). */
  pointsAtStake: AreaPoints[];
  totalPointsAtStake: number;
}

export interface WarningsReport {
  date: string;
  horizonDays: number;
  warnings: ExpiryWarning[];
  /** Points lost per area if every warned certification lapses (people can cover for each other, so this is not the sum). */
  byArea: AreaPoints[];
}

export const DEFAULT_WARNING_DAYS = 90;

const round = (n: number) => Math.round(n * 100) / 100;

function areaTotals(score: PartnerScore): Map<AreaId, number> {
  return new Map(score.areas.map((a) => [a.area, a.total]));
}

function losses(before: Map<AreaId, number>, after: PartnerScore): AreaPoints[] {
  const out: AreaPoints[] = [];
  for (const a of after.areas) {
    const lost = round((before.get(a.area) ?? 0) - a.total);
    if (lost > 0) out.push({ area: a.area, name: AREA_NAMES[a.area], points: lost });
  }
  return out;
}

function without(snapshot: PartnerSnapshot, drop: Set<string>): PartnerSnapshot {
  return {
    ...snapshot,
    professionals: snapshot.professionals.map((p) => ({ ...p, certifications: p.certifications.filter((c) => !drop.has(`${p.id}\u0000${c.certificationId}`)) })),
  };
}

export function computeExpiryWarnings(snapshot: PartnerSnapshot, date: string, horizonDays = DEFAULT_WARNING_DAYS): WarningsReport {
  const rules = ruleSetFor(date);
  const defs = new Map(rules.certifications.map((c) => [c.id, c]));
  const horizon = addDays(date, horizonDays);
  const candidates: Omit<ExpiryWarning, 'pointsAtStake' | 'totalPointsAtStake'>[] = [];
  for (const p of snapshot.professionals) {
    if (!isLinkedOn(p, date)) continue;
    for (const c of p.certifications) {
      const def = defs.get(c.certificationId);
      if (!def) continue;
      const expiry = expiryOf(c, def);
      const until = eligibleUntilOf(def);
      const retires = until !== undefined && (expiry === undefined || until < expiry);
      const endsOn = retires ? until : expiry;
      if (!endsOn || endsOn < date || endsOn > horizon) continue;
      candidates.push({
        professionalId: p.id,
        ...(p.name ? { professionalName: p.name } : {}),
        certificationId: c.certificationId,
        certificationName: def.name,
        endsOn,
        why: retires ? 'retires' : 'expires',
        daysLeft: daysBetween(date, endsOn),
      });
    }
  }
  if (candidates.length === 0) return { date, horizonDays, warnings: [], byArea: [] };
  const opts = { date, includeGap: false } as const;
  const before = areaTotals(scorePartner(snapshot, opts));
  const warnings = candidates.map((w) => {
    const pointsAtStake = losses(before, scorePartner(without(snapshot, new Set([`${w.professionalId}\u0000${w.certificationId}`])), opts));
    return { ...w, pointsAtStake, totalPointsAtStake: round(pointsAtStake.reduce((s, a) => s + a.points, 0)) };
  });
  warnings.sort((a, b) => a.endsOn.localeCompare(b.endsOn) || b.totalPointsAtStake - a.totalPointsAtStake);
  const all = new Set(candidates.map((w) => `${w.professionalId}\u0000${w.certificationId}`));
  return { date, horizonDays, warnings, byArea: losses(before, scorePartner(without(snapshot, all), opts)) };
}
