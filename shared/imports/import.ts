import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { getSettings } from '../config/settings';
import { applyPartnerEvents } from '../deliveries/process';
import type { EventOutcome } from '../events/outcome';
import { createImportRun, failImportRun, getImportRun, recordImportStep, type ImportCounts, type ImportRefusal, type ImportRunDoc, MAX_LISTED_REFUSALS } from '../runs/import-runs';
import { blobContainer } from '../storage/blob';
import { COLUMNS, detectKind, IMPORT_KINDS, mapHeader, type HeaderMapping, type ImportKind } from './columns';
import { parseImportTable, type FileProblem, type Table } from './parse';
import { createRowMapper, mapRows, type MappedRows } from './rows';

/**
 * Bulk onboarding from a spreadsheet (see docs/imports.md): a CSV or XLSX file of one record kind becomes the same
 * events a webhook delivery carries, applied by the same reducers (applyPartnerEvents), so every rule, the
 * deduplication by event id and the history apply to imported rows as to sent ones.
 *
 * Small files are applied while the request waits; larger ones are stored as a blob and applied in the background,
 * a chunk of rows at a time, with progress on an import run document.
 */

/** Where imported events come from, as the state documents record their source. */
export const IMPORT_SOURCE = 'import';
/**
 * A background message works this long, then hands the rest to the next message (the file is read once per
 * message), well within the function timeout (host.json: 10 minutes).
 */
const MESSAGE_BUDGET_MS = 4 * 60_000;
/** Lets the host renew the message's lease (and serve requests) between slices of synchronous work. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ImportReport {
  partnerId: string;
  kind: ImportKind;
  format: Table['format'];
  sheet?: string;
  sheets?: string[];
  rowsTotal: number;
  applied: number;
  unchanged: number;
  older: number;
  refusedCount: number;
  /** The refused rows with line, column and reason (the first MAX_LISTED_REFUSALS). */
  refused: ImportRefusal[];
  ignoredColumns: HeaderMapping['ignored'];
}

export const importMessageSchema = z.object({ runId: z.string().min(1), fromRow: z.number().int().min(0) });
export type ImportMessage = z.infer<typeof importMessageSchema>;

export type ImportResult =
  | { kind: 'problem'; problem: FileProblem }
  | { kind: 'done'; report: ImportReport }
  | { kind: 'queued'; run: ImportRunDoc; message: ImportMessage };

export interface ImportRequest {
  partnerId: string;
  bytes: Buffer;
  contentType: string | undefined;
  kind?: ImportKind;
  sheet?: string;
  now?: Date;
}

const problem = (p: FileProblem): ImportResult => ({ kind: 'problem', problem: p });

/** The table's kind and column mapping, or the 400 that says what the header lacks. */
function headerOf(table: Table, kind: ImportKind | undefined): { ok: true; kind: ImportKind; mapping: HeaderMapping } | { ok: false; problem: FileProblem } {
  const k = kind ?? detectKind(table.header);
  if (!k) {
    const needs = IMPORT_KINDS.map((kk) => `${kk}: ${COLUMNS[kk].filter((c) => c.required).map((c) => c.names[0]).join(', ')}`).join('; ');
    return { ok: false, problem: { status: 400, error: 'BadRequest', message: `The header row (line ${table.headerLine}) does not say what the file holds; name the kind with ?kind=${IMPORT_KINDS.join('|')} or use the documented columns (${needs}).`, details: [{ path: 'header', message: 'no known columns' }] } };
  }
  const mapped = mapHeader(k, table.header);
  if (!mapped.ok) return { ok: false, problem: { status: 400, error: 'BadRequest', message: mapped.message, details: mapped.missing.map((m) => ({ path: `header:${m}`, message: 'missing column' })) } };
  return { ok: true, kind: k, mapping: mapped.mapping };
}

const emptyCounts = (): ImportCounts => ({ applied: 0, unchanged: 0, older: 0, refused: 0 });
const RANK: Record<EventOutcome['result'], number> = { unchanged: 0, older: 1, applied: 2, refused: 3 };

/** Applies mapped rows through the webhook path's reducers; a row counts as the most telling outcome of its events. */
async function applyRows(partnerId: string, mapped: MappedRows): Promise<{ counts: ImportCounts; refused: ImportRefusal[] }> {
  const counts = emptyCounts();
  const refused: ImportRefusal[] = [...mapped.refused];
  const events = mapped.rows.flatMap((r) => r.events);
  const outcomes = new Map<string, EventOutcome>();
  if (events.length) {
    const res = await applyPartnerEvents(partnerId, events, IMPORT_SOURCE);
    for (const o of res.outcomes) outcomes.set(o.eventId, o);
  }
  for (const row of mapped.rows) {
    let worst: EventOutcome | undefined;
    for (const e of row.events) {
      const o = outcomes.get(e.id);
      if (o && (!worst || RANK[o.result] > RANK[worst.result])) worst = o;
    }
    const result = worst?.result ?? 'unchanged';
    if (result === 'refused') refused.push({ line: row.line, field: '(row)', reason: worst!.reason ?? 'refused by the rules' });
    else counts[result]++;
  }
  counts.refused = refused.length;
  refused.sort((a, b) => a.line - b.line);
  return { counts, refused };
}

function report(partnerId: string, kind: ImportKind, table: Table, mapping: HeaderMapping, counts: ImportCounts, refused: ImportRefusal[]): ImportReport {
  return {
    partnerId,
    kind,
    format: table.format,
    ...(table.sheet ? { sheet: table.sheet, sheets: table.sheets } : {}),
    rowsTotal: table.rows.length,
    applied: counts.applied,
    unchanged: counts.unchanged,
    older: counts.older,
    refusedCount: counts.refused,
    refused: refused.slice(0, MAX_LISTED_REFUSALS),
    ignoredColumns: mapping.ignored,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;

/** Imports a file: the report when it was applied inline, or the background run it was handed to. */
export async function importFile(req: ImportRequest): Promise<ImportResult> {
  const settings = getSettings();
  const now = req.now ?? new Date();
  const parsed = await parseImportTable(req.bytes, req.contentType, { maxRows: settings.IMPORT_MAX_ROWS, ...(req.sheet !== undefined ? { sheet: req.sheet } : {}) });
  if (!parsed.ok) return problem(parsed.problem);
  const table = parsed.table;
  const head = headerOf(table, req.kind);
  if (!head.ok) return problem(head.problem);
  if (!table.rows.length) return problem({ status: 400, error: 'BadRequest', message: `The file has a header row (line ${table.headerLine}) but no data rows.`, details: [{ path: '(body)', message: 'no data rows' }] });
  const receivedAt = now.toISOString();

  if (table.rows.length <= settings.IMPORT_INLINE_MAX_ROWS) {
    const mapped = mapRows({ partnerId: req.partnerId, kind: head.kind, mapping: head.mapping, receivedAt, now, futureToleranceSeconds: settings.EVENT_FUTURE_TOLERANCE_SECONDS }, table.rows);
    const applied = await applyRows(req.partnerId, mapped);
    return { kind: 'done', report: report(req.partnerId, head.kind, table, head.mapping, applied.counts, applied.refused) };
  }

  const id = `import-${stamp(now)}-${randomBytes(4).toString('hex')}`;
  const blob = `${req.partnerId}/${id}.${table.format}`;
  const container = await blobContainer(settings, settings.IMPORTS_CONTAINER);
  const contentType = table.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
  await container.getBlockBlobClient(blob).upload(req.bytes, req.bytes.length, { blobHTTPHeaders: { blobContentType: contentType } });
  const run = await createImportRun({
    id,
    type: 'import-run',
    schemaVersion: 1,
    kind: 'import',
    partnerId: req.partnerId,
    recordKind: head.kind,
    format: table.format,
    ...(table.sheet ? { sheet: table.sheet, sheets: table.sheets } : {}),
    blob,
    contentType,
    receivedAt,
    status: 'running',
    rowsTotal: table.rows.length,
    rowsDone: 0,
    counts: emptyCounts(),
    refused: [],
    ignoredColumns: head.mapping.ignored,
    startedAt: receivedAt,
    updatedAt: receivedAt,
  });
  return { kind: 'queued', run, message: { runId: id, fromRow: 0 } };
}

/** The report of a background run, in the shape of an inline import's. */
export function runReport(run: ImportRunDoc): ImportReport & { runId: string; status: ImportRunDoc['status']; rowsDone: number; failure?: string } {
  return {
    runId: run.id,
    status: run.status,
    partnerId: run.partnerId,
    kind: run.recordKind as ImportKind,
    format: run.format,
    ...(run.sheet ? { sheet: run.sheet, sheets: run.sheets } : {}),
    rowsTotal: run.rowsTotal,
    rowsDone: run.rowsDone,
    applied: run.counts.applied,
    unchanged: run.counts.unchanged,
    older: run.counts.older,
    refusedCount: run.counts.refused,
    refused: run.refused,
    ignoredColumns: run.ignoredColumns,
    ...(run.failure ? { failure: run.failure } : {}),
  };
}

export interface StepResult {
  note: string;
  next?: ImportMessage;
}

/**
 * One background message: reads the stored file, maps its rows (once per message) and applies chunks of
 * IMPORT_CHUNK_ROWS rows from `fromRow`, recording progress after each, until the file is done or the message's
 * time budget is spent (then the next message continues).
 */
export async function processImportMessage(message: ImportMessage, opts: { budgetMs?: number } = {}): Promise<StepResult> {
  const settings = getSettings();
  const started = Date.now();
  const run = await getImportRun(message.runId);
  if (!run) return { note: `import run ${message.runId} does not exist; nothing to do` };
  if (run.status !== 'running') return { note: `import run ${run.id} is ${run.status}; nothing to do` };
  if (run.rowsDone !== message.fromRow) return { note: `import run ${run.id} is at row ${run.rowsDone}, not ${message.fromRow}: a repeated message, ignored` };
  const container = await blobContainer(settings, settings.IMPORTS_CONTAINER);
  let bytes: Buffer;
  try {
    bytes = await container.getBlobClient(run.blob).downloadToBuffer();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode !== 404) throw e;
    await failImportRun(run.id, `the stored file ${run.blob} no longer exists`);
    return { note: `import run ${run.id} failed: its file is gone` };
  }
  const parsed = await parseImportTable(bytes, run.contentType, { maxRows: Math.max(settings.IMPORT_MAX_ROWS, run.rowsTotal), ...(run.sheet ? { sheet: run.sheet } : {}) });
  const head = parsed.ok ? headerOf(parsed.table, run.recordKind as ImportKind) : undefined;
  if (!parsed.ok || !head?.ok) {
    const why = !parsed.ok ? parsed.problem.message : head && !head.ok ? head.problem.message : 'unreadable';
    await failImportRun(run.id, `the stored file can no longer be read: ${why}`);
    return { note: `import run ${run.id} failed: ${why}` };
  }
  const table = parsed.table;
  const mapper = createRowMapper({ partnerId: run.partnerId, kind: head.kind, mapping: head.mapping, receivedAt: run.receivedAt, now: new Date(Math.max(Date.now(), Date.parse(run.receivedAt))), futureToleranceSeconds: settings.EVENT_FUTURE_TOLERANCE_SECONDS });
  // A message that continues a run maps the rows before it again, so the ids it derives are the ones an
  // uninterrupted run would (they depend on how often a row's content was seen before).
  for (let i = 0; i < message.fromRow; i += settings.IMPORT_CHUNK_ROWS) {
    mapper.map(table.rows.slice(i, Math.min(i + settings.IMPORT_CHUNK_ROWS, message.fromRow)));
    await yieldToLoop();
  }
  let from = message.fromRow;
  while (from < table.rows.length) {
    const slice = table.rows.slice(from, from + settings.IMPORT_CHUNK_ROWS);
    const chunk = mapper.map(slice);
    await yieldToLoop();
    const applied = await applyRows(run.partnerId, chunk);
    const to = from + slice.length;
    const counted = await recordImportStep(run.id, from, { rows: slice.length, counts: applied.counts, refused: applied.refused, finished: to >= table.rows.length });
    if (!counted) return { note: `import run ${run.id}: rows from ${from} were recorded by another delivery of this message; stopping` };
    from = to;
    if (from < table.rows.length && Date.now() - started > (opts.budgetMs ?? MESSAGE_BUDGET_MS)) {
      return { note: `import run ${run.id}: ${from}/${table.rows.length} rows; continuing in the next message`, next: { runId: run.id, fromRow: from } };
    }
  }
  return { note: `import run ${run.id}: finished, ${table.rows.length} rows` };
}
