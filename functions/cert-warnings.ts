import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { todayUtc } from '../shared/lib/dates';
import { certWarningsQuerySchema } from '../shared/certsync/schemas';
import { computeExpiryWarnings } from '../shared/certsync/warnings';
import { notFound, ok } from '../shared/http/responses';
import { parseQuery, partnerIdParam } from '../shared/http/request';
import { loadPartnerSnapshot } from '../shared/state/state-store';

/** GET /api/partners/{partnerId}/cert-warnings?days=90&date=YYYY-MM-DD: certifications about to lapse and the points at stake. */

export async function getCertWarnings(request: HttpRequest): Promise<HttpResponseInit> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId.response;
  const q = parseQuery(request, certWarningsQuerySchema);
  if (!q.ok) return q.response;
  const snapshot = await loadPartnerSnapshot(partnerId.value);
  if (!snapshot) return notFound(`Partner ${partnerId.value} is not known.`);
  return ok({ partnerId: partnerId.value, ...computeExpiryWarnings(snapshot, q.value.date ?? todayUtc(), q.value.days) });
}

app.http('certWarnings', { route: 'partners/{partnerId}/cert-warnings', methods: ['GET'], authLevel: 'anonymous', handler: getCertWarnings });
