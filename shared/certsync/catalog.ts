import { allRuleSets, type CertificationDef } from '../scoring';
import { CATALOG_MAP } from './catalog-map';

/**
 * Lookups over the mapping table and the rule sets' certification catalogue.
 */

const PREFIXES = /^(microsoft\s+certified|microsoft\s+365\s+certified|github\s+certified|microsoft\s+applied\s+skills)\s*:\s*/i;

/** Lower case, no credential-family prefix, no parenthetical, "&" read as "and", punctuation as spaces. */
export function normaliseCertName(name: string): string {
  let n = name.normalize('NFKC').trim();
  for (let prev = ''; prev !== n; ) {
    prev = n;
    n = n.replace(PREFIXES, '');
  }
  return n
    .replace(/\([^)]*\)/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/\+/g, ' plus ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** AZ-104, az104, "Exam AZ-104" → AZ-104. */
export function normaliseExamCode(code: string): string | undefined {
  const m = /^(?:exam\s+)?([a-z]{2,3})\s*-?\s*(\d{3})$/i.exec(code.trim());
  return m ? `${m[1]!.toUpperCase()}-${m[2]}` : undefined;
}

const byName = new Map<string, string>();
const byExam = new Map<string, string>();
for (const e of CATALOG_MAP) {
  for (const n of e.names) byName.set(normaliseCertName(n), e.certificationId);
  for (const x of e.exams) {
    const code = normaliseExamCode(x);
    if (code) byExam.set(code, e.certificationId);
  }
}

/**
 * The rule-set certification id for what a source reported, or undefined when the table does not know it.
 * A code wins over a name, because names get reworded and codes do not; Windows Server Hybrid has two exams.
 */
export function resolveCertificationId(input: { name?: string; code?: string }): string | undefined {
  if (input.code) {
    const code = normaliseExamCode(input.code);
    const hit = code ? byExam.get(code) : undefined;
    if (hit) return hit;
  }
  if (input.name) {
    const hit = byName.get(normaliseCertName(input.name)) ?? (normaliseExamCode(input.name) ? byExam.get(normaliseExamCode(input.name)!) : undefined);
    if (hit) return hit;
  }
  return undefined;
}

let defs: Map<string, CertificationDef> | undefined;

/** Every certification of every rule version by id; the newest version's definition wins (retirement dates change). */
export function certificationDefs(): Map<string, CertificationDef> {
  if (!defs) {
    defs = new Map();
    for (const rs of allRuleSets()) for (const c of rs.certifications) defs.set(c.id, c);
  }
  return defs;
}
