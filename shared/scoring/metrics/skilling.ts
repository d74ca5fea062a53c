import { addDays } from '../../lib/dates';
import type { ScoringContext } from '../context';
import { fmt, LazyLine, note, notCounted, pts } from '../explain';
import type { RuleSet, SkillingMetric } from '../rules/schema';
import type { AreaId, Track } from '../snapshot';
import { AREA_NAMES } from '../snapshot';
import { PLAN_STATE, type ExplanationLine, type GapHint, type MetricScore } from '../types';
import { metricScore } from './result';

/**
 * Skilling counts people, not exams: each person once per step and once per metric, and a person may
 * count in a gate step, the points step and the other skilling metric. Gate steps are met in order;
 * in Enterprise they earn nothing, in SMB each met step earns a flat amount.
 */
const personSubject = (label: unknown): string => `person ${String(label)}`;
type Defs = Map<string, string>;
const certNames = (ids: readonly string[], defs: Defs) => ids.map((id) => defs.get(id) ?? id).join(', ');
/** Module-level and weak by rule set: one name map per rule set alive, built once. */
const namesByRules = new WeakMap<RuleSet, Defs>();
/** Certification names per rule set, shared by every result (lines keep a reference, not a copy). */
function certificationNames(rules: RuleSet): Defs {
  let names = namesByRules.get(rules);
  if (!names) {
    names = new Map(rules.certifications.map((c) => [c.id, c.name]));
    namesByRules.set(rules, names);
  }
  return names;
}
const countedReason = (mine: unknown, defs: unknown, gatesMet: unknown): string => {
  const ids = mine as string[];
  const certs = certNames(ids, defs as Defs);
  // A person behind an unmet step earns nothing: the line says so instead of calling them counted.
  if (!gatesMet) return `holds ${certs}, which ${ids.length > 1 ? 'earn' : 'earns'} nothing until every step above is met`;
  return ids.length > 1 ? `counted once although ${ids.length} certifications qualify (${certs})` : `holds ${certs}`;
};
const elsewhereReason = (valid: unknown, gateCerts: unknown, defs: unknown, tail: unknown): string => {
  const ids = (valid as string[]).filter((c) => !(gateCerts as Set<string>).has(c));
  return `${certNames(ids, defs as Defs)} ${ids.length > 1 ? 'do' : 'does'}${String(tail)}`;
};

/** How far ahead a suggested certification must stay earnable to be suggested without a warning. */
export const SUGGESTION_HORIZON_DAYS = 90;

/**
 * What to add to earn more: only certifications that can still be earned on the date (a retired one counts only
 * for those who hold it), each retiring within the horizon marked with its date.
 */
function suggestion(ctx: ScoringContext, certifications: readonly string[], perPerson: number, prerequisites: GapHint['prerequisites'], name: (id: string) => string): GapHint {
  const horizon = addDays(ctx.date, SUGGESTION_HORIZON_DAYS);
  const earnable = certifications.filter((id) => {
    const retiredOn = ctx.certDefs.get(id)?.retiredOn;
    return !retiredOn || retiredOn > ctx.date;
  });
  if (!earnable.length) {
    return { pointsPerUnit: 0, prerequisites, unitDescription: 'certified person', unitDescriptionPlural: 'certified people', blockedReason: `every certification of the metric is retired on ${ctx.date}: only people who already hold one can count` };
  }
  const label = (id: string) => {
    const retiredOn = ctx.certDefs.get(id)?.retiredOn;
    return retiredOn && retiredOn <= horizon ? `${name(id)} (retiring on ${retiredOn})` : name(id);
  };
  const list = earnable.map(label).join(', ');
  return { pointsPerUnit: perPerson, prerequisites, unitDescription: `person certified in one of: ${list}`, unitDescriptionPlural: `people certified in one of: ${list}` };
}

export function scoreSkilling(ctx: ScoringContext, m: SkillingMetric, track: Track, area: AreaId): MetricScore {
  const people = ctx.peopleCerts();
  const explanation: ExplanationLine[] = [];
  const name = (id: string) => ctx.certDefs.get(id)?.name ?? id;
  const perPerson = m.pointsPerPerson ?? m.max / m.peopleForMax!;
  let gatePoints = 0;
  let gatesMet = true;
  const gateState: { holders: number; minPeople: number; points: number }[] = [];
  const prerequisites: GapHint['prerequisites'] = [];
  for (const gate of m.gates) {
    const holders: string[] = [];
    for (const p of people) {
      if (!p.linked) continue;
      for (const c of gate.certifications) {
        if (p.valid.has(c)) {
          holders.push(p.label);
          break;
        }
      }
    }
    const met = holders.length >= gate.minPeople;
    gateState.push({ holders: holders.length, minPeople: gate.minPeople, points: gate.points });
    if (gatesMet && met) {
      gatePoints += gate.points;
      explanation.push(note(gate.label, `met by ${holders.length} ${holders.length === 1 ? 'person' : 'people'} (${holders.join(', ')}); needs ${gate.minPeople}; ${gate.points > 0 ? `earns ${pts(gate.points)}` : 'a prerequisite that earns no points'}`));
    } else {
      explanation.push(notCounted(gate.label, `${holders.length} of ${gate.minPeople} required ${gate.minPeople === 1 ? 'person' : 'people'} certified${holders.length ? ` (${holders.join(', ')})` : ''}${gatesMet ? '' : '; an earlier step is not met yet'}`));
      prerequisites.push({ add: Math.max(0, gate.minPeople - holders.length), what: `${gate.label.replace(/^Step \d+: /, '')} certification`, points: gate.points });
    }
    if (!met) gatesMet = false;
  }
  const wanted = new Set(m.certifications);
  const gateCerts = new Set(m.gates.flatMap((g) => g.certifications));
  let qualifying = 0;
  const mine: string[] = [];
  const notHere = ` not count for ${AREA_NAMES[area]} ${m.name.toLowerCase()}`;
  const names = certificationNames(ctx.rules);
  for (const p of people) {
    mine.length = 0;
    for (const c of p.validList) if (wanted.has(c)) mine.push(c);
    if (!p.linked) {
      if (mine.length > 0 || p.invalid.length > 0) explanation.push(notCounted(`person ${p.label}`, 'Learn profile not linked to the partner organisation on this date'));
      continue;
    }
    if (mine.length > 0) {
      qualifying++;
      explanation.push(new LazyLine(gatesMet ? 'counted' : 'not-counted', personSubject, p.label, undefined, countedReason, [...mine], names, gatesMet));
    } else {
      let lapsed = 0;
      for (const l of p.invalid) {
        if (!wanted.has(l.certificationId) || p.valid.has(l.certificationId)) continue;
        lapsed++;
        explanation.push(notCounted(`person ${p.label}`, l.reason));
      }
      if (lapsed > 0) continue;
      let elsewhere = 0;
      for (const c of p.validList) if (!gateCerts.has(c)) elsewhere++;
      if (elsewhere > 0) explanation.push(new LazyLine('not-counted', personSubject, p.label, undefined, elsewhereReason, p.validList, gateCerts, names, notHere));
    }
  }
  const raw = gatesMet ? gatePoints + perPerson * qualifying : gatePoints;
  explanation.push(
    note(
      m.name,
      gatesMet
        ? `${qualifying} qualifying ${qualifying === 1 ? 'person' : 'people'} x ${fmt(perPerson)}${gatePoints ? ` + ${pts(gatePoints)} from steps` : ''}, capped at ${pts(m.max)}`
        : `steps not all met: ${qualifying} qualifying ${qualifying === 1 ? 'person earns' : 'people earn'} nothing yet${gatePoints ? `; ${pts(gatePoints)} from the steps met` : ''}`,
    ),
  );
  return metricScore(m, track, raw, {
    // Units are the people who earn: none while a step is unmet (the planner's state keeps who would).
    units: gatesMet ? qualifying : 0,
    unitLabel: 'certified people',
    unitsForMax: m.peopleForMax ?? Math.ceil((m.max - m.gates.reduce((s, g) => s + g.points, 0)) / perPerson),
    explanation,
    gapHint: suggestion(ctx, m.certifications, perPerson, prerequisites, name),
    [PLAN_STATE]: { kind: 'skilling', gates: gateState, qualifying, perPerson },
  });
}
