import { app, output, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { todayUtc } from '../shared/lib/dates';
import { readSyncRecord } from '../shared/certsync/records';
import { partnerExists } from '../shared/certsync/registration';
import { handleRunMessage, runWithProblems, type CertSyncMessage } from '../shared/certsync/run';
import { certSyncStartBodySchema } from '../shared/certsync/schemas';
import { readOptionalJsonBody } from '../shared/http/request-body';
import { accepted, notFound, ok } from '../shared/http/responses';
import { partnerIdParam, routeParam } from '../shared/http/request';
import { QUEUES } from '../shared/queues/names';
import { runView } from '../shared/runs/run-store';
import { withTrace } from '../shared/queues/trace';

/** On-demand certification sync: the whole run, or one partner now; and what the last sync found. */

const runQueue = output.storageQueue({ queueName: QUEUES.certSyncRun, connection: 'AzureWebJobsStorage' });
const partnerQueue = output.storageQueue({ queueName: QUEUES.certSync, connection: 'AzureWebJobsStorage' });

const runIdSchema = z.string().regex(/^cert-sync-\d{4}-\d{2}-\d{2}$/, 'must be a certification sync run id: cert-sync-YYYY-MM-DD');

/** POST /api/runs/cert-sync: starts today's run now (the same run the timer starts); an existing run is returned as is. */
export async function startCertSyncRun(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const body = await readOptionalJsonBody(request, certSyncStartBodySchema);
  if (!body.ok) return body.response;
  const step = await handleRunMessage({ kind: 'start', date: body.value?.date ?? todayUtc(), trigger: 'http' });
  if (step.next.length) context.extraOutputs.set(runQueue, withTrace(step.next));
  context.log(`Certification sync: ${step.note} (on request).`);
  return accepted({ run: runView(step.run!), created: step.created ?? false }, `/api/runs/${step.run!.id}`);
}

/** GET /api/cert-sync/runs/{runId}: the run record plus each partner it left stale or failed, with the reason. */
export async function getCertSyncRun(request: HttpRequest): Promise<HttpResponseInit> {
  const id = routeParam(request, 'runId', runIdSchema);
  if (!id.ok) return id.response;
  const found = await runWithProblems(id.value);
  if (!found) return notFound(`No certification sync run ${id.value}.`);
  return ok({ ...runView(found.run), problems: found.problems });
}

/** POST /api/partners/{partnerId}/cert-sync: syncs one partner now, outside any run. */
export async function syncPartnerNow(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const parsed = partnerIdParam(request);
  if (!parsed.ok) return parsed.response;
  const partnerId = parsed.value;
  if (!(await partnerExists(partnerId))) return notFound(`Partner ${partnerId} is not known.`);
  const message: CertSyncMessage = { partnerId };
  context.extraOutputs.set(partnerQueue, withTrace([message]));
  context.log(`Certification sync of partner ${partnerId} requested.`);
  return accepted({ partnerId, queued: true }, `/api/partners/${encodeURIComponent(partnerId)}/cert-sync`);
}

/** GET /api/partners/{partnerId}/cert-sync: what the last sync changed per person, its problems and warnings. */
export async function getPartnerSync(request: HttpRequest): Promise<HttpResponseInit> {
  const parsed = partnerIdParam(request);
  if (!parsed.ok) return parsed.response;
  const partnerId = parsed.value;
  const record = await readSyncRecord(partnerId);
  if (!record) return notFound((await partnerExists(partnerId)) ? `Partner ${partnerId} has not been synced yet.` : `Partner ${partnerId} is not known.`);
  return ok({ partnerId, last: record.last, history: record.history });
}

app.http('certSyncStart', { route: 'runs/cert-sync', methods: ['POST'], authLevel: 'anonymous', extraOutputs: [runQueue], handler: startCertSyncRun });
app.http('certSyncRunGet', { route: 'cert-sync/runs/{runId}', methods: ['GET'], authLevel: 'anonymous', handler: getCertSyncRun });
app.http('certSyncPartnerStart', { route: 'partners/{partnerId}/cert-sync', methods: ['POST'], authLevel: 'anonymous', extraOutputs: [partnerQueue], handler: syncPartnerNow });
app.http('certSyncPartnerGet', { route: 'partners/{partnerId}/cert-sync', methods: ['GET'], authLevel: 'anonymous', handler: getPartnerSync });
