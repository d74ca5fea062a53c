import { OPENAPI_PATHS } from './openapi-paths';
import { errorBodySchema, type PathItem } from './openapi-helpers';

/**
 * The OpenAPI 3.1 document of the whole HTTP API, served at /api/openapi.json. Each feature describes
 * its routes in shared/http/openapi-paths/<feature>.ts (plain objects, request and response bodies
 * from the same zod schemas the code validates with) and adds one line to openapi-paths/index.ts.
 */

export function buildOpenApiDocument(opts: { version?: string; serverUrl?: string } = {}): Record<string, unknown> {
  const paths: Record<string, PathItem> = {};
  for (const feature of OPENAPI_PATHS) {
    for (const [path, item] of Object.entries(feature)) {
      paths[path] = { ...(paths[path] ?? {}), ...item };
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
        functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key', description: 'Function key (Azure); not checked by the local host.' },
        standardWebhooks: { type: 'apiKey', in: 'header', name: 'webhook-signature', description: 'Standard Webhooks HMAC-SHA256 signature with webhook-id and webhook-timestamp; see docs/webhooks.md.' },
      },
    },
  };
}
