import { partnerCenterEventSchema } from '../../partner-center/payload';
import { errorResponses, jsonContent, jsonSchema, pathParameter, type FeaturePaths } from '../openapi-helpers';

const header = (name: string, description: string, example: string) => ({ name, in: 'header', required: true, description, schema: { type: 'string' }, example });
const answer = (status: string) => jsonContent({ type: 'object', properties: { status: { const: status }, eventName: { type: 'string' } } });

export const partnerCenterPaths: FeaturePaths = {
  '/partner-center/{partnerId}/events': {
    post: {
      summary: "Receive a Partner Center webhook event (Microsoft's own format and signature)",
      description:
        'Register this URL with Partner Center (docs/partner-center.md). The request is authenticated as Microsoft documents: `Authorization: Signature <base64>` is RSA-SHA256 over the raw body, made with the certificate at `X-MS-Certificate-Url`, which must be under an allowed prefix (PARTNER_CENTER_CERT_URL_PREFIXES), valid, issued by a trusted CA and name the configured Organization. ' +
        'Anything wrong answers 401 and stores nothing. `test-created`, DAP, GDAP and unknown events are recorded (200); reseller relationships and customer and subscription events are queued (202) and the resource is read in the queue step.',
      operationId: 'receivePartnerCenterEvent',
      tags: ['partner-center'],
      security: [{ partnerCenterSignature: [] }],
      parameters: [
        pathParameter('partnerId', 'The partner the events are for (PARTNER_CENTER_PARTNER_IDS).'),
        header('X-MS-Certificate-Url', "URL of Microsoft's signing certificate.", 'https://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer'),
        header('X-MS-Signature-Algorithm', 'Always rsa-sha256.', 'rsa-sha256'),
      ],
      requestBody: {
        required: true,
        content: jsonContent(jsonSchema(partnerCenterEventSchema, 'input'), { EventName: 'test-created', ResourceUri: 'https://api.partnercenter.microsoft.com/webhooks/v1/registration/validationEvents/c0bfd694-3075-4ec5-9a3c-733d3a890a1f', ResourceName: 'test', AuditUri: null, ResourceChangeUtcDate: '2017-11-16T16:19:06.3520276+00:00' }),
      },
      responses: {
        '202': { description: 'Queued: the resource is read and applied asynchronously.', content: answer('accepted') },
        '200': { description: 'Recorded (test, DAP/GDAP, unknown events), or a redelivery (`duplicate`) that changes nothing.', content: jsonContent({ type: 'object', properties: { status: { enum: ['recorded', 'duplicate'] }, eventName: { type: 'string' }, receivedAt: { type: 'string' } } }) },
        ...errorResponses(400, 401, 413, 503),
      },
    },
  },
};
