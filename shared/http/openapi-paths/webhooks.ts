import { deliverySchema, EVENT_SCHEMAS } from '../../events/schemas';
import { errorResponses, jsonContent, jsonSchema, pathParameter, type FeaturePaths } from '../openapi-helpers';

const fieldProblems = { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } }, required: ['path', 'message'] } };
const header = (name: string, description: string, example: string) => ({ name, in: 'header', required: true, description, schema: { type: 'string' }, example });

export const webhookPaths: FeaturePaths = {
  '/webhooks/{source}': {
    post: {
      summary: 'Submit signed events (one, or a batch of up to 500)',
      description:
        'Standard Webhooks: HMAC-SHA256 over `webhook-id.webhook-timestamp.body` with the exact raw body, base64, sent as `v1,<signature>` (several space-separated signatures allowed during a secret rotation). Timestamps more than 5 minutes off are refused. ' +
        'The delivery is validated, deduplicated by webhook-id, queued and answered with 202; events are applied asynchronously (see GET /webhooks/{source}/deliveries/{webhookId}). Event types: ' +
        Object.keys(EVENT_SCHEMAS).join(', ') +
        '. See docs/webhooks.md.',
      operationId: 'submitWebhook',
      tags: ['webhooks'],
      security: [{ standardWebhooks: [] }],
      parameters: [
        pathParameter('source', 'Configured source name (WEBHOOK_SOURCES).'),
        header('webhook-id', 'Unique id of the delivery, the same on every retry.', 'msg_2Kx0Yx2'),
        header('webhook-timestamp', 'Unix seconds of this attempt.', '1767225600'),
        header('webhook-signature', 'Space-separated `v1,<base64>` signatures.', 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4='),
      ],
      requestBody: { required: true, content: jsonContent(jsonSchema(deliverySchema, 'input')) },
      responses: {
        '202': { description: 'Accepted and queued. `warnings` lists values accepted but unusual (the field and why), also kept in the delivery status.', content: jsonContent({ type: 'object', properties: { status: { const: 'accepted' }, webhookId: { type: 'string' }, events: { type: 'integer' }, warnings: fieldProblems } }) },
        '200': { description: 'A redelivery of an accepted webhook-id: nothing changes.', content: jsonContent({ type: 'object', properties: { status: { const: 'duplicate' }, webhookId: { type: 'string' }, receivedAt: { type: 'string' }, processing: { enum: ['accepted', 'applied'] } } }) },
        ...errorResponses(400, 401, 403, 409, 413, 422, 503),
      },
    },
  },
  '/webhooks/{source}/deliveries/{webhookId}': {
    get: {
      summary: 'Processing status of a delivery (kept 7 days), with the events not applied and why',
      operationId: 'getWebhookDelivery',
      tags: ['webhooks'],
      parameters: [pathParameter('source', 'Source name.'), pathParameter('webhookId', 'The webhook-id of the delivery.')],
      responses: {
        '200': {
          description: 'The receipt.',
          content: jsonContent({
            type: 'object',
            properties: {
              id: { type: 'string' },
              source: { type: 'string' },
              webhookId: { type: 'string' },
              receivedAt: { type: 'string' },
              status: { enum: ['accepted', 'applied'] },
              eventCount: { type: 'integer' },
              partnerIds: { type: 'array', items: { type: 'string' } },
              appliedAt: { type: 'string' },
              warnings: fieldProblems,
              summary: { type: 'object', properties: { applied: { type: 'integer' }, unchanged: { type: 'integer' }, older: { type: 'integer' }, refused: { type: 'integer' } } },
              notApplied: { type: 'array', items: { type: 'object', properties: { eventId: { type: 'string' }, type: { type: 'string' }, partnerId: { type: 'string' }, result: { enum: ['older', 'refused'] }, reason: { type: 'string' } } } },
              scoredAt: { type: ['string', 'null'], description: 'When the score that includes the delivery was computed (the last of its partners); null while it is not applied or not yet scored.' },
              scores: {
                type: 'array',
                description: 'Per partner the delivery changed: the state version that includes it and whether the stored score has reached it.',
                items: { type: 'object', properties: { partnerId: { type: 'string' }, stateVersion: { type: 'integer' }, scoredStateVersion: { type: ['integer', 'null'] }, scoredAt: { type: ['string', 'null'] } } },
              },
            },
            required: ['scoredAt', 'scores'],
          }),
        },
        ...errorResponses(404),
      },
    },
  },
};
