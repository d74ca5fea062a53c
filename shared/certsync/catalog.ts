import { allRuleSets, type CertificationDef } from '../scoring';

/**
 * Lookups over the rule sets' certification catalogue. Names and exam codes resolve through the one alias
 * table of the rule data (resolveCertificationId in shared/scoring).
 */

let defs: Map<string, CertificationDef> | undefined;

/** Every certification of every rule version by id; the newest version's definition wins (retirement dates change). */
export function certificationDefs(): Map<string, CertificationDef> {
  if (!defs) {
    defs = new Map();
    for (const rs of allRuleSets()) for (const c of rs.certifications) defs.set(c.id, c);
  }
  return defs;
}
