import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getNotificationUrl, notificationSettingsSchema, setNotificationUrl } from '../shared/alerts/notification-url';
import { readJsonBody } from '../shared/http/request-body';
import { badRequest, notFound, ok } from '../shared/http/responses';
import { partnerIdSchema } from '../shared/lib/ids';

export async function notificationSettings(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const partnerId = partnerIdSchema.safeParse(request.params.partnerId);
  if (!partnerId.success) return badRequest(`partnerId: ${partnerId.error.issues[0]?.message}`, [{ path: 'partnerId', message: partnerId.error.issues[0]?.message ?? 'invalid' }]);
  if (request.method === 'GET') {
    const current = await getNotificationUrl(partnerId.data);
    return current ? ok({ partnerId: partnerId.data, ...current }) : notFound(`No partner ${partnerId.data}: nothing was submitted for it yet.`);
  }
  const body = await readJsonBody(request, notificationSettingsSchema);
  if (!body.ok) return body.response;
  const res = await setNotificationUrl(partnerId.data, body.value.url);
  if (!res) return notFound(`No partner ${partnerId.data}: nothing was submitted for it yet.`);
  context.log(`Notification URL of partner ${partnerId.data} ${res.url ? 'set' : 'removed'}`);
  return ok({ partnerId: partnerId.data, ...res });
}

app.http('partner-notification-settings', { route: 'partners/{partnerId}/notification', methods: ['GET', 'PUT'], authLevel: 'function', handler: notificationSettings });
