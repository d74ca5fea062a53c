import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getNotificationUrl, notificationSettingsSchema, setNotificationUrl } from '../shared/alerts/notification-url';
import { readJsonBody } from '../shared/http/request-body';
import { notFound, ok } from '../shared/http/responses';
import { partnerIdParam } from '../shared/http/request';

export async function notificationSettings(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const partnerId = partnerIdParam(request);
  if (!partnerId.ok) return partnerId.response;
  if (request.method === 'GET') {
    const current = await getNotificationUrl(partnerId.value);
    return current ? ok({ partnerId: partnerId.value, ...current }) : notFound(`No partner ${partnerId.value}: nothing was submitted for it yet.`);
  }
  const body = await readJsonBody(request, notificationSettingsSchema);
  if (!body.ok) return body.response;
  const res = await setNotificationUrl(partnerId.value, body.value.url);
  if (!res) return notFound(`No partner ${partnerId.value}: nothing was submitted for it yet.`);
  context.log(`Notification URL of partner ${partnerId.value} ${res.url ? 'set' : 'removed'}`);
  return ok({ partnerId: partnerId.value, ...res });
}

app.http('partnerNotificationSettings', { route: 'partners/{partnerId}/notification', methods: ['GET', 'PUT'], authLevel: 'anonymous', handler: notificationSettings });
