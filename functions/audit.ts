import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { auditQuerySchema, listAudit, partnerScope, SERVICE_SCOPE } from '../shared/access/audit';
import { invalidQuery, parseQuery, partnerIdParam } from '../shared/http/request';
import { ok } from '../shared/http/responses';

async function page(request: HttpRequest, scope: string): Promise<HttpResponseInit> {
  const q = parseQuery(request, auditQuerySchema);
  if (!q.ok) return q.response;
  try {
    return ok(await listAudit(scope, q.value));
  } catch (e) {
    if ((e as { code?: number }).code === 400 && q.value.continuationToken) return invalidQuery('continuationToken', 'not a token from a previous page');
    throw e;
  }
}

/** GET /api/partners/{partnerId}/audit: who changed this partner's settings, sources and transcripts, and when. */
export async function partnerAudit(request: HttpRequest): Promise<HttpResponseInit> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId.response;
  return page(request, partnerScope(partnerId.value));
}

/** GET /api/audit: changes to the service itself (runs, dead letters, grants). */
export const serviceAudit = (request: HttpRequest): Promise<HttpResponseInit> => page(request, SERVICE_SCOPE);

app.http('partnerAudit', { route: 'partners/{partnerId}/audit', methods: ['GET'], authLevel: 'anonymous', handler: partnerAudit });
app.http('serviceAudit', { route: 'audit', methods: ['GET'], authLevel: 'anonymous', handler: serviceAudit });
