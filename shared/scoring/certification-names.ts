import { CERTIFICATION_ALIASES, type CertificationAlias } from './rules/certification-aliases';

/**
 * The one resolver from what a sender calls a certification (a rule-set id, a Microsoft Learn name, an exam
 * code) to the id the rule sets use, over the alias table in rules/certification-aliases.ts. Webhook events,
 * the Learn transcript sync and the import files all call it, so a name resolves the same way everywhere.
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
  const m = /^(?:exam\s+)?([a-z]{2,3})\s*-?\s*(\d{3})$/i.exec(code.normalize('NFKC').trim());
  return m ? `${m[1]!.toUpperCase()}-${m[2]}` : undefined;
}

/** An id as sent: case and the spacing around it do not matter, and spaces or underscores stand for hyphens. */
function normaliseId(id: string): string {
  return id.normalize('NFKC').trim().toLowerCase().replace(/[\s_]+/g, '-');
}

const byId = new Map<string, CertificationAlias>();
const byName = new Map<string, CertificationAlias>();
const byExam = new Map<string, CertificationAlias>();
for (const e of CERTIFICATION_ALIASES) {
  byId.set(e.certificationId, e);
  for (const f of e.formerIds ?? []) byId.set(f, e);
  for (const n of e.names) byName.set(normaliseCertName(n), e);
  for (const x of e.exams) {
    const code = normaliseExamCode(x);
    if (code) byExam.set(code, e);
  }
}

/** The alias row of a certification id (current or former), for listing its names and exams. */
export function certificationAlias(id: string): CertificationAlias | undefined {
  return byId.get(id);
}

/**
 * The rule-set certification id for what a source reported, or undefined when the table does not know it.
 * A code wins over a name, because names get reworded and codes do not; a former id gives the current id.
 */
export function resolveCertificationId(input: { name?: string; code?: string }): string | undefined {
  if (input.code) {
    const code = normaliseExamCode(input.code);
    const hit = code ? byExam.get(code) : undefined;
    if (hit) return hit.certificationId;
  }
  if (input.name) {
    const code = normaliseExamCode(input.name);
    const hit = (code ? byExam.get(code) : undefined) ?? byId.get(normaliseId(input.name)) ?? byName.get(normaliseCertName(input.name));
    if (hit) return hit.certificationId;
  }
  return undefined;
}

/** One value that may be an id, a Learn name or an exam code (the webhook events' `certificationId`). */
export function resolveCertification(value: string): string | undefined {
  return resolveCertificationId({ name: value });
}

function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

export interface CertificationSuggestion {
  certificationId: string;
  name: string;
  exams: string[];
}

/** The keys a value is compared with: the id, every name and every exam code, as words. */
const words = (s: string) => normaliseCertName(s.replace(/-/g, ' ')).split(' ').filter(Boolean);
const KEYS = CERTIFICATION_ALIASES.map((e) => ({ alias: e, keys: [e.certificationId, ...(e.formerIds ?? []), ...e.names, ...e.exams].map(words) }));

/** How far a value is from a key: below 1 when every word of the value starts a word of the key ("azure admin"), else the edit distance. */
function distance(value: string[], key: string[]): number {
  if (value.every((w) => key.some((k) => k.startsWith(w)))) return (key.length - value.length + 1) / (key.length + 2);
  return editDistance(value.join(''), key.join(''));
}

/**
 * The known certifications closest to a value that did not resolve: the smallest distance over ids, names and
 * exam codes, so a misspelt id, an abbreviated name or a mistyped exam code finds what was meant.
 */
export function suggestCertifications(value: string, limit = 3): CertificationSuggestion[] {
  const v = words(value);
  if (!v.length) return [];
  const scored = KEYS.map(({ alias, keys }) => ({ alias, score: Math.min(...keys.map((k) => distance(v, k))) }));
  scored.sort((a, b) => a.score - b.score || a.alias.certificationId.localeCompare(b.alias.certificationId));
  return scored.slice(0, limit).map(({ alias }) => ({ certificationId: alias.certificationId, name: alias.names[0]!, exams: alias.exams }));
}

/** "azure-administrator-associate (Azure Administrator Associate, AZ-104)" */
export function describeSuggestion(s: CertificationSuggestion): string {
  return `${s.certificationId} (${[s.name, ...s.exams.slice(0, 1)].join(', ')})`;
}
