import { app, output, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { accepted, notFound, ok } from '../shared/http/responses';
import { parseQuery, routeParam } from '../shared/http/request';
import { readOptionalJsonBody } from '../shared/http/request-body';
import { QUEUES } from '../shared/queues/names';
import { beginRecomputeRun } from '../shared/recompute/run';
import { getRun, latestRun, RUN_KINDS, runView } from '../shared/runs/run-store';
import { getImportRun, IMPORT_RUN_ID } from '../shared/runs/import-runs';
import { runReport } from '../shared/imports/import';
import { todayUtc } from '../shared/lib/dates';
import { calendarDate } from '../shared/score-history/http-schemas';
import { withTrace } from '../shared/queues/trace';

const runIdSchema = z.string().regex(/^((recompute|cert-sync)-\d{4}-\d{2}-\d{2}|import-\d{14}-[0-9a-f]{8})$/, 'must be a run id: recompute-YYYY-MM-DD, cert-sync-YYYY-MM-DD or import-<YYYYMMDDhhmmss>-<8 hex digits>');
const runQueue = output.storageQueue({ queueName: QUEUES.recomputeRun, connection: 'AzureWebJobsStorage' });

export async function getRunById(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const id = routeParam(request, 'id', runIdSchema);
  if (!id.ok) return id.response;
  if (IMPORT_RUN_ID.test(id.value)) {
    const imported = await getImportRun(id.value);
    if (!imported) return notFound(`No run ${id.value}.`);
    context.log(`Read import run ${id.value} (${imported.status})`);
    return ok(runReport(imported));
  }
  const run = await getRun(id.value);
  if (!run) return notFound(`No run ${id.value}.`);
  context.log(`Read run ${id.value} (${run.status})`);
  return ok(runView(run));
}

const listQuery = z.object({
  latest: z.literal('true', { message: 'only latest=true is supported: runs are read one at a time, by id or the latest of a kind' }),
  kind: z.enum(RUN_KINDS, { message: `must be one of ${RUN_KINDS.join(', ')}` }).default('recompute'),
});

export async function getLatestRun(request: HttpRequest): Promise<HttpResponseInit> {
  const q = parseQuery(request, listQuery);
  if (!q.ok) return q.response;
  const run = await latestRun(q.value.kind);
  if (!run) return notFound(`No ${q.value.kind} run has started yet.`);
  return ok(runView(run));
}

const startBody = z.object({ date: calendarDate.optional() }).strict();

/** Starts today's nightly recompute now (or the run of another date); a run that exists is returned as is. */
export async function startRecomputeRun(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const body = await readOptionalJsonBody(request, startBody);
  if (!body.ok) return body.response;
  const { run, created, start } = await beginRecomputeRun(body.value?.date ?? todayUtc(), 'http');
  if (start) context.extraOutputs.set(runQueue, withTrace([start]));
  context.log(`Recompute run ${run.id} ${created ? 'started' : 'already existed'} on request.`);
  return accepted({ run: runView(run), created }, `/api/runs/${run.id}`);
}

app.http('runsGet', { route: 'runs/{id}', methods: ['GET'], authLevel: 'anonymous', handler: getRunById });
app.http('runsLatest', { route: 'runs', methods: ['GET'], authLevel: 'anonymous', handler: getLatestRun });
// Operators only: in Azure it needs a function key.
app.http('runsRecomputeStart', { route: 'runs/recompute', methods: ['POST'], authLevel: 'anonymous', extraOutputs: [runQueue], handler: startRecomputeRun });
