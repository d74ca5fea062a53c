import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { listAlerts } from '../shared/alerts/alert-store';
import { notFound, ok } from '../shared/http/responses';
import { partnerIdParam } from '../shared/http/request';
import { DOC_IDS, type ProfileDoc } from '../shared/state/documents';
import { readStateDoc } from '../shared/state/state-store';

export async function getAlerts(request: HttpRequest): Promise<HttpResponseInit> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId.response;
  const [alerts, profile] = await Promise.all([listAlerts(partnerId.value), readStateDoc<ProfileDoc>(partnerId.value, DOC_IDS.profile)]);
  if (!profile && alerts.length === 0) return notFound(`No partner ${partnerId.value}: nothing was submitted for it yet.`);
  return ok({ partnerId: partnerId.value, alerts });
}

app.http('alertsGet', { route: 'partners/{partnerId}/alerts', methods: ['GET'], authLevel: 'anonymous', handler: getAlerts });
