import { holdingVerdict, isLinkedOn } from './certifications';
import type { CertificationDef } from './rules/schema';
import type { Professional } from './snapshot';

/** One professional's certifications as the skilling metrics see them on a date. */
export interface PersonCerts {
  id: string;
  label: string;
  /** Certification ids that count on the date. */
  valid: Set<string>;
  validList: string[];
  /** Holdings that do not count, with the reason. */
  invalid: { certificationId: string; reason: string }[];
  linked: boolean;
}

/** Each professional's holdings judged on the date against the rule set's certification definitions. */
export function certificationsOfPeople(professionals: readonly Professional[], date: string, certDefs: ReadonlyMap<string, CertificationDef>, skillingLagDays: number): PersonCerts[] {
  return professionals.map((p) => {
    const linked = isLinkedOn(p, date);
    const valid = new Set<string>();
    const invalid: PersonCerts['invalid'] = [];
    for (const h of p.certifications ?? []) {
      const v = holdingVerdict(h, certDefs.get(h.certificationId), date, skillingLagDays);
      if (v.valid) valid.add(h.certificationId);
      else invalid.push({ certificationId: h.certificationId, reason: v.reason });
    }
    return { id: p.id, label: p.name ? `${p.name} (${p.id})` : p.id, valid, validList: [...valid], invalid, linked };
  });
}
