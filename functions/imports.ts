import { app, output, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { getSettings } from '../shared/config/settings';
import { IMPORT_KINDS } from '../shared/imports/columns';
import { importFile, importMessageSchema, processImportMessage, runReport } from '../shared/imports/import';
import { writablePartnerIdSchema } from '../shared/lib/ids';
import { parseQuery, routeParam } from '../shared/http/request';
import { accepted, errorResponse, notFound, ok } from '../shared/http/responses';
import { parseQueueMessage } from '../shared/queues/message';
import { QUEUES } from '../shared/queues/names';
import { getImportRun, IMPORT_RUN_ID } from '../shared/runs/import-runs';
import { continueTrace, withTrace } from '../shared/queues/trace';

/** Spreadsheet imports (docs/imports.md): POST a CSV or XLSX file of one record kind; large files run in the background. */

const importQueue = output.storageQueue({ queueName: QUEUES.imports, connection: 'AzureWebJobsStorage' });

const importQuery = z.object({
  kind: z.enum(IMPORT_KINDS, { message: `must be one of ${IMPORT_KINDS.join(', ')}` }).optional(),
  sheet: z.string().min(1, 'must name a sheet of the workbook').max(100, 'must be at most 100 characters').optional(),
});

const tooLarge = (limit: number) => errorResponse(413, 'PayloadTooLarge', `The import file is larger than the limit of ${limit} bytes (IMPORT_MAX_BYTES); split it into smaller files.`, { details: [{ path: '(body)', message: `larger than ${limit} bytes` }] });

/** POST /api/partners/{partnerId}/imports[?kind=&sheet=]: 200 with the report, or 202 with the background run. */
export async function postImport(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const partner = routeParam(request, 'partnerId', writablePartnerIdSchema);
  if (!partner.ok) return partner.response;
  const query = parseQuery(request, importQuery);
  if (!query.ok) return query.response;
  const limit = getSettings().IMPORT_MAX_BYTES;
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return tooLarge(limit);
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > limit) return tooLarge(limit);
  if (!bytes.length) return errorResponse(400, 'BadRequest', 'The request body is empty: send a CSV (UTF-8) or .xlsx file with a header row (see docs/imports.md).', { details: [{ path: '(body)', message: 'empty' }] });
  const res = await importFile({ partnerId: partner.value, bytes, contentType: request.headers.get('content-type') ?? undefined, ...(query.value.kind ? { kind: query.value.kind } : {}), ...(query.value.sheet !== undefined ? { sheet: query.value.sheet } : {}) });
  if (res.kind === 'problem') {
    context.warn(`Import for partner ${partner.value} refused: ${res.problem.status} ${res.problem.message}`);
    return errorResponse(res.problem.status, res.problem.error, res.problem.message, res.problem.details ? { details: res.problem.details } : {});
  }
  if (res.kind === 'done') {
    const r = res.report;
    context.log(`Import for partner ${partner.value} (${r.kind}, ${r.format}): ${r.rowsTotal} rows, ${r.applied} applied, ${r.unchanged} unchanged, ${r.older} older, ${r.refusedCount} refused.`);
    return ok(r);
  }
  context.extraOutputs.set(importQueue, withTrace([res.message]));
  context.log(`Import for partner ${partner.value}: ${res.run.rowsTotal} rows handed to run ${res.run.id}.`);
  return accepted(runReport(res.run), `/api/partners/${encodeURIComponent(partner.value)}/imports/${res.run.id}`);
}

/** GET /api/partners/{partnerId}/imports/{runId}: where a background import stands, and its report so far. */
export async function getImport(request: HttpRequest): Promise<HttpResponseInit> {
  const partner = routeParam(request, 'partnerId', writablePartnerIdSchema);
  if (!partner.ok) return partner.response;
  const runId = routeParam(request, 'runId', z.string().regex(IMPORT_RUN_ID, 'must be an import run id: import-<YYYYMMDDhhmmss>-<8 hex digits>'));
  if (!runId.ok) return runId.response;
  const run = await getImportRun(runId.value);
  // Another partner's run is not found either: a run id says nothing about partners the caller may not read.
  if (!run || run.partnerId !== partner.value) return notFound(`No import run ${runId.value} for partner ${partner.value}.`);
  return ok(runReport(run));
}

/** Queue `partner-imports`: one step of a background import; a step that runs out of time sends the next. */
export async function processImport(message: unknown, context: InvocationContext): Promise<void> {
  const m = parseQueueMessage(importMessageSchema, message, QUEUES.imports, (t) => context.error(t));
  if (!m) return;
  const step = await processImportMessage(m);
  if (step.next) context.extraOutputs.set(importQueue, withTrace([step.next]));
  context.log(step.note);
}

app.http('importsPost', { route: 'partners/{partnerId}/imports', methods: ['POST'], authLevel: 'anonymous', extraOutputs: [importQueue], handler: postImport });
app.http('importsGet', { route: 'partners/{partnerId}/imports/{runId}', methods: ['GET'], authLevel: 'anonymous', handler: getImport });
app.storageQueue('importsProcess', { queueName: QUEUES.imports, connection: 'AzureWebJobsStorage', extraOutputs: [importQueue], handler: continueTrace('importsProcess', processImport) });
