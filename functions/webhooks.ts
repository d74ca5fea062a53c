import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { readRawBody } from '../shared/http/request-body';
import { accepted, badRequest, conflict, errorResponse, forbidden, notFound, ok, unauthorized, unprocessable } from '../shared/http/responses';
import { receiveDelivery } from '../shared/webhooks/receive';
import { deliveryStatus } from '../shared/webhooks/delivery-status';
import { routeParam } from '../shared/http/request';
import { sourceNameSchema, webhookIdSchema } from '../shared/lib/ids';

/** POST /api/webhooks/{source}: a signed delivery of one event or a batch (docs/webhooks.md). */
export async function receiveWebhook(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const source = request.params.source ?? '';
  const body = await readRawBody(request);
  if (!body.ok) return body.response;
  const webhookId = request.headers.get('webhook-id');
  const result = await receiveDelivery({
    source,
    webhookId,
    timestamp: request.headers.get('webhook-timestamp'),
    signature: request.headers.get('webhook-signature'),
    raw: body.value,
  });
  const tag = `webhook ${source}/${webhookId ?? '(no id)'}`;
  switch (result.kind) {
    case 'accepted':
      context.log(`${tag}: accepted ${result.events} event(s) for ${result.partnerIds.join(', ')}`);
      return accepted({ status: 'accepted', webhookId: result.webhookId, events: result.events, ...(result.warnings.length ? { warnings: result.warnings } : {}) });
    case 'duplicate':
      context.log(`${tag}: duplicate of a delivery received ${result.receivedAt}`);
      return ok({ status: 'duplicate', webhookId: result.webhookId, receivedAt: result.receivedAt, processing: result.status });
    case 'conflict':
      context.warn(`${tag}: ${result.message}`);
      return conflict(result.message);
    case 'unauthorized':
      context.warn(`${tag}: refused, ${result.logReason}`);
      return unauthorized(result.message);
    case 'bad-request':
      return badRequest(result.message, result.details);
    case 'unprocessable':
      return unprocessable(result.message, result.details);
    case 'forbidden':
      context.warn(`${tag}: refused, ${result.message}`);
      return forbidden(result.message);
    case 'unavailable':
      context.error(`${tag}: ${result.logReason}`);
      return errorResponse(503, 'ServiceUnavailable', result.message, {}, { 'retry-after': '10' });
  }
}

/** GET /api/webhooks/{source}/deliveries/{webhookId}: whether a delivery was applied, and which events were not. */
export async function getDeliveryStatus(request: HttpRequest): Promise<HttpResponseInit> {
  const source = routeParam(request, 'source', sourceNameSchema);
  if (!source.ok) return source.response;
  const webhookId = routeParam(request, 'webhookId', webhookIdSchema);
  if (!webhookId.ok) return webhookId.response;
  const status = await deliveryStatus(source.value, webhookId.value);
  return status ? ok(status) : notFound(`No delivery ${webhookId.value} from source ${source.value} in the last 7 days.`);
}

app.http('webhooksReceive', { route: 'webhooks/{source}', methods: ['POST'], authLevel: 'anonymous', handler: receiveWebhook });
app.http('webhooksDeliveryStatus', { route: 'webhooks/{source}/deliveries/{webhookId}', methods: ['GET'], authLevel: 'anonymous', handler: getDeliveryStatus });
