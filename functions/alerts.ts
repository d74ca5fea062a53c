import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { listAlerts } from '../shared/alerts/alert-store';
import { badRequest, notFound, ok } from '../shared/http/responses';
import { partnerIdSchema } from '../shared/lib/ids';
import { DOC_IDS, type ProfileDoc } from '../shared/state/documents';
import { readStateDoc } from '../shared/state/state-store';

export async function getAlerts(request: HttpRequest): Promise<HttpResponseInit> {
  const partnerId = partnerIdSchema.safeParse(request.params.partnerId);
  if (!partnerId.success) return badRequest(`partnerId: ${partnerId.error.issues[0]?.message}`, [{ path: 'partnerId', message: partnerId.error.issues[0]?.message ?? 'invalid' }]);
  const [alerts, profile] = await Promise.all([listAlerts(partnerId.data), readStateDoc<ProfileDoc>(partnerId.data, DOC_IDS.profile)]);
  if (!profile && alerts.length === 0) return notFound(`No partner ${partnerId.data}: nothing was submitted for it yet.`);
  return ok({ partnerId: partnerId.data, alerts });
}

app.http('alerts-get', { route: 'partners/{partnerId}/alerts', methods: ['GET'], authLevel: 'function', handler: getAlerts });
