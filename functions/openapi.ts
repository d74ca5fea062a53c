import { app, type HttpResponseInit } from '@azure/functions';
import { buildOpenApiDocument } from '../shared/http/openapi';
import { ok } from '../shared/http/responses';
import { appVersion } from '../shared/lib/version';

let cached: Record<string, unknown> | undefined;

/** GET /api/openapi.json: the OpenAPI document of every HTTP route of the app. */
export async function openApi(): Promise<HttpResponseInit> {
  cached ??= buildOpenApiDocument({ version: appVersion() });
  return ok(cached, { 'cache-control': 'public, max-age=300' });
}

app.http('openapi', { route: 'openapi.json', methods: ['GET'], authLevel: 'anonymous', handler: openApi });
