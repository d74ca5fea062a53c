import { app, output, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getCertSources, setCertSources, uploadImportFile } from '../shared/certsync/registration';
import type { CertSyncMessage } from '../shared/certsync/run';
import { certSourcesBodySchema } from '../shared/certsync/schemas';
import { readJsonBody, readRawBody } from '../shared/http/request-body';
import { accepted, badRequest, notFound, ok } from '../shared/http/responses';
import { partnerIdParam } from '../shared/http/request';
import { QUEUES } from '../shared/queues/names';
import { withTrace } from '../shared/queues/trace';

/** Certification import files (CSV or JSON Lines) and the partner's choice of sources. */

const partnerQueue = output.storageQueue({ queueName: QUEUES.certSync, connection: 'AzureWebJobsStorage' });
const IMPORT_LIMIT = 4 * 1024 * 1024;

/** POST /api/partners/{partnerId}/cert-imports: stores the file as the partner's import source and syncs the partner. */
export async function postCertImport(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const parsed = partnerIdParam(request);
  if (!parsed.ok) return parsed.response;
  const partnerId = parsed.value;
  const raw = await readRawBody(request, IMPORT_LIMIT);
  if (!raw.ok) return raw.response;
  if (!raw.value.trim()) return badRequest('The request body is empty: send a CSV file with a header row (person, certification, earned_on, expires_on) or JSON Lines.', [{ path: '(body)', message: 'empty' }]);
  const res = await uploadImportFile(partnerId, raw.value, request.headers.get('content-type') ?? undefined);
  if (res.kind === 'not-found') return notFound(res.reason);
  if (res.kind === 'invalid') {
    context.warn(`Import file for partner ${partnerId} refused: ${res.reason}`);
    return badRequest(res.reason, res.details);
  }
  const message: CertSyncMessage = { partnerId };
  context.extraOutputs.set(partnerQueue, withTrace([message]));
  context.log(`Import file ${res.value.blob} for partner ${partnerId}: ${res.value.accepted} rows accepted, ${res.value.errors.length} refused; sync requested.`);
  return accepted({ partnerId, ...res.value, syncRequested: true });
}

/** GET /api/partners/{partnerId}/cert-sources */
export async function getSources(request: HttpRequest): Promise<HttpResponseInit> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId.response;
  const res = await getCertSources(partnerId.value);
  return res.kind === 'ok' ? ok(res.value) : notFound(res.kind === 'not-found' ? res.reason : '');
}

/** PUT /api/partners/{partnerId}/cert-sources with {learn?, importBlob?}: replaces the configuration. */
export async function putSources(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const parsed = partnerIdParam(request);
  if (!parsed.ok) return parsed.response;
  const partnerId = parsed.value;
  const body = await readJsonBody(request, certSourcesBodySchema);
  if (!body.ok) return body.response;
  const res = await setCertSources(partnerId, { ...(body.value.learn !== undefined ? { learn: body.value.learn } : {}), ...(body.value.importBlob ? { importBlob: body.value.importBlob } : {}) });
  if (res.kind !== 'ok') return notFound(res.kind === 'not-found' ? res.reason : '');
  context.log(`Certification sources of partner ${partnerId}: ${JSON.stringify(res.value)}.`);
  return ok(res.value);
}

app.http('certImportsPost', { route: 'partners/{partnerId}/cert-imports', methods: ['POST'], authLevel: 'anonymous', extraOutputs: [partnerQueue], handler: postCertImport });
app.http('certSourcesGet', { route: 'partners/{partnerId}/cert-sources', methods: ['GET'], authLevel: 'anonymous', handler: getSources });
app.http('certSourcesPut', { route: 'partners/{partnerId}/cert-sources', methods: ['PUT'], authLevel: 'anonymous', handler: putSources });
