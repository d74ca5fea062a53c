import { addDays, addMonths, addYears } from '../lib/dates';
import { allRuleSets, ruleSetByVersion, ruleSetFor } from './rules';
import type { CertificationDef, RuleSet } from './rules/schema';
import type { CertificationHolding, Professional } from './snapshot';

/**
 * Certification validity as the reference states it (§10.5, §14 A5): Associate/Expert/Specialty expire a year after
 * earning unless renewed (renewal in the six months before expiry adds a year); Fundamentals and Partner University
 * assessments never expire; a retired certification earned before retirement counts until its eligibleUntil date,
 * by default one year after retirement.
 */

export interface CertificationInfo {
  id: string;
  name: string;
  exams: string[];
  level: CertificationDef['level'];
  fundamentals: boolean;
  neverExpires: boolean;
  retiredOn?: string;
  /** Last day it counts for PCS. */
  eligibleUntil?: string;
  note?: string;
  /** Areas and metrics of this rule version where it counts (as a points-earning or gate certification). */
  usedIn: { area: string; track: string; metric: string; role: 'points' | 'gate' }[];
}

export function eligibleUntilOf(def: CertificationDef): string | undefined {
  if (def.eligibleUntil) return def.eligibleUntil;
  if (def.retiredOn) return addYears(def.retiredOn, 1);
  return undefined;
}

/** Every certification of a rule version (default: the newest), for the certification-sync mapping table. */
export function listCertifications(ruleVersion?: string): CertificationInfo[] {
  const rs = ruleVersion ? ruleSetByVersion(ruleVersion) : allRuleSets()[allRuleSets().length - 1]!;
  return certificationInfos(rs);
}

function certificationInfos(rs: RuleSet): CertificationInfo[] {
  const used = new Map<string, CertificationInfo['usedIn']>();
  for (const [area, rules] of Object.entries(rs.areas)) {
    for (const [track, t] of Object.entries(rules.tracks)) {
      if (!t) continue;
      for (const m of t.metrics) {
        if (m.kind !== 'skilling') continue;
        for (const c of m.certifications) (used.get(c) ?? used.set(c, []).get(c)!).push({ area, track, metric: m.id, role: 'points' });
        for (const g of m.gates) for (const c of g.certifications) (used.get(c) ?? used.set(c, []).get(c)!).push({ area, track, metric: m.id, role: 'gate' });
      }
    }
  }
  return rs.certifications.map((c) => ({
    id: c.id,
    name: c.name,
    exams: c.exams,
    level: c.level,
    fundamentals: c.level === 'fundamentals',
    neverExpires: c.neverExpires,
    ...(c.retiredOn ? { retiredOn: c.retiredOn } : {}),
    ...(eligibleUntilOf(c) ? { eligibleUntil: eligibleUntilOf(c)! } : {}),
    ...(c.note ? { note: c.note } : {}),
    usedIn: used.get(c.id) ?? [],
  }));
}

/** The expiry of a holding after renewals; undefined when it never expires. */
export function expiryOf(h: CertificationHolding, def: CertificationDef | undefined): string | undefined {
  if (def?.neverExpires) return undefined;
  let expiry = h.expiresOn;
  const renewals = h.renewals ? [...h.renewals].sort((a, b) => a.renewedOn.localeCompare(b.renewedOn)) : [];
  if (!expiry) {
    expiry = addYears(h.earnedOn, 1);
    for (const r of renewals) {
      if (r.expiresOn) {
        if (r.expiresOn > expiry) expiry = r.expiresOn;
      } else if (r.renewedOn <= expiry && r.renewedOn >= addMonths(expiry, -6)) {
        // Renewal opens six months before expiry and extends validity by one year from the old expiry.
        expiry = addYears(expiry, 1);
      }
    }
  } else {
    for (const r of renewals) if (r.expiresOn && r.expiresOn > expiry) expiry = r.expiresOn;
  }
  return expiry;
}

export type HoldingVerdict = { valid: true } | { valid: false; reason: string };

/** Whether one certification counts on `date` (after the skilling refresh lag). */
export function holdingVerdict(h: CertificationHolding, def: CertificationDef | undefined, date: string, lagDays: number): HoldingVerdict {
  if (!def) return { valid: false, reason: `certification "${h.certificationId}" is not in this rule version` };
  const countsFrom = lagDays > 0 ? addDays(h.earnedOn, lagDays) : h.earnedOn;
  if (countsFrom > date) return { valid: false, reason: `${def.name} earned ${h.earnedOn}, not yet counted (counts from ${countsFrom})` };
  const until = eligibleUntilOf(def);
  if (def.retiredOn && h.earnedOn > def.retiredOn) return { valid: false, reason: `${def.name} earned ${h.earnedOn}, after its retirement on ${def.retiredOn}` };
  if (until && date > until) return { valid: false, reason: `${def.name} no longer counts: eligible until ${until}${def.retiredOn ? ` (retired ${def.retiredOn})` : ''}` };
  const expiry = expiryOf(h, def);
  if (expiry && date > expiry) return { valid: false, reason: `${def.name} expired on ${expiry} and was not renewed` };
  return { valid: true };
}

/** Linked on `date`: the Learn profile is associated with the partner organisation on that day. */
export function isLinkedOn(p: Professional, date: string): boolean {
  if (p.linkedOn && p.linkedOn > date) return false;
  // An unlink date answers for the past too, so history and what-if dates see the person as linked before it.
  if (p.unlinkedOn) return p.unlinkedOn > date;
  return p.linked;
}

export { ruleSetFor };
