import { describeRule, routeAccessByPath } from '../access/route-access';
import { OPENAPI_PATHS } from './openapi-paths';
import { errorBodySchema, errorResponses, type Operation, type PathItem } from './openapi-helpers';

/** Each operation says who may call it, from the route access table, so the description cannot drift from the check. */
function withAccess(path: string, method: string, op: Operation): Operation {
  const found = routeAccessByPath(path, method);
  if (!found) return op;
  const { rule } = found;
  const open = rule.kind === 'public' || rule.kind === 'signed';
  return {
    ...op,
    'x-access': describeRule(rule),
    security: rule.kind === 'public' ? [] : rule.kind === 'signed' ? [{ standardWebhooks: [] }] : [{ entra: [] }],
    responses: open ? op.responses : { ...op.responses, ...errorResponses(401, 403) },
  };
}

/**
 * The OpenAPI 3.1 document of the whole HTTP API, served at /api/openapi.json. Each feature describes
 * its routes in shared/http/openapi-paths/<feature>.ts (plain objects, request and response bodies
 * from the same zod schemas the code validates with) and adds one line to openapi-paths/index.ts.
 */

export function buildOpenApiDocument(opts: { version?: string; serverUrl?: string } = {}): Record<string, unknown> {
  const paths: Record<string, PathItem> = {};
  for (const feature of OPENAPI_PATHS) {
    for (const [path, item] of Object.entries(feature)) {
      const decorated = Object.fromEntries(Object.entries(item).map(([method, op]) => [method, method === 'parameters' ? op : withAccess(path, method, op as Operation)]));
      paths[path] = { ...(paths[path] ?? {}), ...decorated };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Partner Capability Score tracker',
      version: opts.version ?? '0.0.0',
      description: 'Tracks Microsoft partners\' associations, certifications and telemetry, and estimates their Partner Capability Score.',
    },
    servers: [{ url: opts.serverUrl ?? '/api' }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : 1))),
    components: {
      schemas: { Error: errorBodySchema },
      securitySchemes: {
        entra: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A Microsoft Entra ID token for the app registration, checked by App Service Authentication in front of the app; what the caller may do follows its grants and app roles (docs/security.md). Locally: the local function key in x-functions-key, or LOCAL_PRINCIPAL.',
        },
        standardWebhooks: { type: 'apiKey', in: 'header', name: 'webhook-signature', description: 'Standard Webhooks HMAC-SHA256 signature with webhook-id and webhook-timestamp; see docs/webhooks.md.' },
        partnerCenterSignature: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Partner Center webhook signature: `Signature <base64>` RSA-SHA256 over the body, with the certificate at X-MS-Certificate-Url; see docs/partner-center.md.' },
      },
    },
  };
}
