import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { isoDateOf } from '../shared/lib/dates';
import { certWarningsQuerySchema } from '../shared/certsync/schemas';
import { computeExpiryWarnings } from '../shared/certsync/warnings';
import { badRequest, notFound, ok } from '../shared/http/responses';
import { loadPartnerSnapshot } from '../shared/state/state-store';

/** GET /api/partners/{partnerId}/cert-warnings?days=90&date=YYYY-MM-DD: certifications about to lapse and the points at stake. */

export async function getCertWarnings(request: HttpRequest): Promise<HttpResponseInit> {
  const partnerId = request.params.partnerId ?? '';
  const parsed = certWarningsQuerySchema.safeParse({ days: request.query.get('days') ?? undefined, date: request.query.get('date') ?? undefined });
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: `query.${String(i.path[0] ?? '')}`, message: i.message }));
    return badRequest(`Invalid query: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  }
  const snapshot = await loadPartnerSnapshot(partnerId);
  if (!snapshot) return notFound(`Partner ${partnerId} is not known.`);
  return ok({ partnerId, ...computeExpiryWarnings(snapshot, parsed.data.date ?? isoDateOf(new Date()), parsed.data.days) });
}

app.http('cert-warnings', { route: 'partners/{partnerId}/cert-warnings', methods: ['GET'], authLevel: 'function', handler: getCertWarnings });
