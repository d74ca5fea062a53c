import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import type { StoredProfessional } from '../state/documents';
import { describeSuggestion, resolveCertificationId, suggestCertifications } from '../scoring';
import { addDays, isoDateOf, toIsoDate } from '../lib/dates';
import { EARLIEST_DATE } from '../events/plausibility';
import { parseJsonText } from '../lib/json-text';
import type { SourceCertification } from './sources/types';

/**
 * Import files exported from an HR or learning system: CSV with a header row, or JSON Lines, one row per
 * person and certification (person, certification, earned on, expires on). Every bad row is reported with its
 * line number and reason; the good rows still count.
 */

export type ImportFormat = 'csv' | 'jsonl';

export interface ImportRow {
  line: number;
  person: string;
  certification: string;
  earnedOn: string;
  expiresOn?: string;
}

export interface RowError {
  line: number;
  reason: string;
}

export interface ParsedImport {
  format: ImportFormat;
  rows: ImportRow[];
  errors: RowError[];
}

const COLUMNS = {
  person: ['person', 'personid', 'professional', 'professionalid', 'email', 'upn'],
  certification: ['certification', 'certificationname', 'certificationnumber', 'certificationcode', 'exam', 'examcode', 'cert'],
  earnedOn: ['earnedon', 'earned', 'dateearned', 'issuedon', 'awardedon'],
  expiresOn: ['expireson', 'expires', 'expiration', 'expirationdate', 'expiry'],
} as const;
type Column = keyof typeof COLUMNS;

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function columnOf(name: string): Column | undefined {
  const k = key(name);
  return (Object.keys(COLUMNS) as Column[]).find((c) => (COLUMNS[c] as readonly string[]).includes(k));
}

/**
 * Splits one CSV record (RFC 4180 quoting, by csv-parse) into trimmed fields; undefined when a quote is unbalanced.
 * Line by line, not the whole file at once: a bad row is reported with its line and the good rows still count, where
 * a quote left open would make csv-parse read the rest of the file as one field.
 */
export function splitCsvLine(line: string): string[] | undefined {
  try {
    return parseCsv(line, { trim: true, relax_column_count: true, relax_quotes: true })[0] ?? [''];
  } catch (e) {
    if (e instanceof CsvError) return undefined;
    throw e;
  }
}

export function detectFormat(text: string, hint?: string): ImportFormat {
  const h = (hint ?? '').toLowerCase();
  if (/(jsonl|ndjson|json-lines|x-ndjson)$/.test(h) || h.includes('ndjson') || h.includes('jsonl')) return 'jsonl';
  if (h.endsWith('csv') || h.includes('text/csv')) return 'csv';
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' ? 'jsonl' : 'csv';
}

function checkRow(line: number, raw: Partial<Record<Column, unknown>>, latestDay: string): ImportRow | RowError {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
  const person = str(raw.person);
  const certification = str(raw.certification);
  const earned = str(raw.earnedOn);
  const expires = str(raw.expiresOn);
  if (!person) return { line, reason: 'person is missing' };
  if (!certification) return { line, reason: 'certification is missing' };
  if (!earned) return { line, reason: 'earned on is missing' };
  const earnedOn = toIsoDate(earned);
  if (!earnedOn) return { line, reason: `earned on "${earned}" is not a date YYYY-MM-DD` };
  // The same bounds as a certification.earned event (shared/events/plausibility.ts): such a row can never be true.
  if (earnedOn < EARLIEST_DATE) return { line, reason: `earned on ${earnedOn} is before ${EARLIEST_DATE}; check the year` };
  if (earnedOn > latestDay) return { line, reason: `earned on ${earnedOn} is in the future` };
  let expiresOn: string | undefined;
  if (expires) {
    expiresOn = toIsoDate(expires);
    if (!expiresOn) return { line, reason: `expires on "${expires}" is not a date YYYY-MM-DD` };
    if (expiresOn < earnedOn) return { line, reason: `expires on ${expiresOn} is before earned on ${earnedOn}` };
  }
  return { line, person, certification, earnedOn, ...(expiresOn ? { expiresOn } : {}) };
}

/**
 * The file's non-empty CSV records with their line numbers, parsed by csv-parse in one pass. A file it refuses (a
 * quote left open) is read again line by line, so each bad line is reported in `errors` and the good rows still count.
 */
function csvRecords(text: string, lines: readonly string[], errors: RowError[]): { line: number; fields: string[] }[] {
  try {
    const parsed = parseCsv(text, { bom: true, trim: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_empty_values: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return parsed.map((r) => ({ line: r.info.lines, fields: r.record }));
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
  }
  const out: { line: number; fields: string[] }[] = [];
  lines.forEach((l, i) => {
    if (!l.trim()) return;
    const fields = splitCsvLine(l);
    if (fields) out.push({ line: i + 1, fields });
    else errors.push({ line: i + 1, reason: 'unbalanced quote' });
  });
  return out;
}

export function parseImportFile(text: string, hint?: string, now: Date = new Date()): ParsedImport {
  const latestDay = addDays(isoDateOf(now), 1);
  const format = detectFormat(text, hint);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  const push = (r: ImportRow | RowError) => ('reason' in r ? errors.push(r) : rows.push(r));
  if (format === 'jsonl') {
    lines.forEach((l, i) => {
      if (!l.trim()) return;
      const json = parseJsonText(l, 'the line');
      if (!json.ok) {
        errors.push({ line: i + 1, reason: json.path === '(body)' ? json.reason : `${json.path} ${json.reason}` });
        return;
      }
      const obj = json.value;
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
        errors.push({ line: i + 1, reason: 'not a JSON object' });
        return;
      }
      const raw: Partial<Record<Column, unknown>> = {};
      for (const [k, v] of Object.entries(obj)) {
        const c = columnOf(k);
        if (c && raw[c] === undefined) raw[c] = v;
      }
      push(checkRow(i + 1, raw, latestDay));
    });
    return { format, rows, errors };
  }
  const records = csvRecords(text, lines, errors);
  if (!records.length) return { format, rows, errors: errors.length ? errors : [{ line: 1, reason: 'the file is empty' }] };
  const [head, ...body] = records;
  const columns = head!.fields.map(columnOf);
  const missing = (['person', 'certification', 'earnedOn'] as Column[]).filter((c) => !columns.includes(c));
  if (missing.length) {
    return { format, rows, errors: [{ line: head!.line, reason: `the header must name the columns person, certification, earned_on (and optionally expires_on); missing: ${missing.join(', ')}` }] };
  }
  for (const { line, fields } of body) {
    const raw: Partial<Record<Column, unknown>> = {};
    columns.forEach((c, j) => {
      if (c && raw[c] === undefined) raw[c] = fields[j];
    });
    push(checkRow(line, raw, latestDay));
  }
  return { format, rows, errors };
}

export interface ResolvedImport {
  /** Certifications per professional id. */
  byPerson: Map<string, SourceCertification[]>;
  /** Professionals with at least one bad row: their other import certifications are not removed. */
  incomplete: Set<string>;
  errors: RowError[];
}

/** Matches rows to professionals (by id, email or Learn profile id) and certifications (by name or code). */
export function resolveImport(parsed: ParsedImport, professionals: StoredProfessional[]): ResolvedImport {
  const byKey = new Map<string, StoredProfessional>();
  for (const p of professionals) {
    byKey.set(p.id.toLowerCase(), p);
    if (p.email) byKey.set(p.email.toLowerCase(), p);
    if (p.learnProfileId) byKey.set(p.learnProfileId.toLowerCase(), p);
  }
  const byPerson = new Map<string, SourceCertification[]>();
  const incomplete = new Set<string>();
  const errors = [...parsed.errors];
  for (const row of parsed.rows) {
    const p = byKey.get(row.person.toLowerCase());
    if (!p) {
      errors.push({ line: row.line, reason: `person "${row.person}" is not a professional of this partner (match by id, email or Learn profile id)` });
      continue;
    }
    const certificationId = resolveCertificationId({ name: row.certification, code: row.certification });
    if (!certificationId) {
      errors.push({ line: row.line, reason: `certification "${row.certification}" is not one the rule sets know (use its id, Microsoft Learn name or exam code); closest: ${suggestCertifications(row.certification).map(describeSuggestion).join('; ')}` });
      incomplete.add(p.id);
      continue;
    }
    const list = byPerson.get(p.id) ?? byPerson.set(p.id, []).get(p.id)!;
    list.push({ certificationId, earnedOn: row.earnedOn, ...(row.expiresOn ? { expiresOn: row.expiresOn } : {}), label: row.certification });
  }
  // Rows that failed before a person could be read make every person's data possibly incomplete.
  if (parsed.errors.length) for (const p of byPerson.keys()) incomplete.add(p);
  errors.sort((a, b) => a.line - b.line);
  return { byPerson, incomplete, errors };
}
