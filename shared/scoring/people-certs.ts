import { certificationAlias } from './certification-names';
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
      const id = ruleVersionId(h.certificationId, certDefs);
      const v = holdingVerdict(h, certDefs.get(id), date, skillingLagDays);
      if (v.valid) valid.add(id);
      else invalid.push({ certificationId: id, reason: v.reason });
    }
    return { id: p.id, label: p.name ? `${p.name} (${p.id})` : p.id, valid, validList: [...valid], invalid, linked };
  });
}

/** Holdings are stored under a certification's current id; an older rule version may know it by a former one. */
function ruleVersionId(id: string, certDefs: ReadonlyMap<string, CertificationDef>): string {
  if (certDefs.has(id)) return id;
  return certificationAlias(id)?.formerIds?.find((f) => certDefs.has(f)) ?? id;
}
