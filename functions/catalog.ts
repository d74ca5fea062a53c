import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { todayUtc } from '../shared/lib/dates';
import { ok } from '../shared/http/responses';
import { parseQuery } from '../shared/http/request';
import { certificationCatalog, certificationCatalogQuerySchema } from '../shared/scoring';

/** GET /api/catalog/certifications?date=YYYY-MM-DD: every certification, the names it may be sent by and where it counts. */
export async function getCertificationCatalog(request: HttpRequest): Promise<HttpResponseInit> {
  const q = parseQuery(request, certificationCatalogQuerySchema);
  if (!q.ok) return q.response;
  return ok(certificationCatalog(q.value.date ?? todayUtc()));
}

app.http('catalogCertifications', { route: 'catalog/certifications', methods: ['GET'], authLevel: 'anonymous', handler: getCertificationCatalog });
