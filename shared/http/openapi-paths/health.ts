import { jsonContent, type FeaturePaths } from '../openapi-helpers';

const dependency = { type: 'object', required: ['ok', 'latencyMs'], properties: { ok: { type: 'boolean' }, latencyMs: { type: 'number' }, error: { type: 'string' } } };
const report = {
  type: 'object',
  required: ['status', 'version', 'checks'],
  properties: { status: { enum: ['healthy', 'unhealthy'] }, version: { type: 'string' }, checks: { type: 'object', properties: { cosmos: dependency, storage: dependency } } },
};

export const healthPaths: FeaturePaths = {
  '/health': {
    get: {
      summary: 'Health of the app and its dependencies (Cosmos DB, queue storage)',
      operationId: 'getHealth',
      tags: ['operations'],
      responses: { '200': { description: 'Healthy.', content: jsonContent(report) }, '503': { description: 'A dependency does not answer.', content: jsonContent(report) } },
    },
  },
};

export const openApiPaths: FeaturePaths = {
  '/openapi.json': {
    get: {
      summary: 'This OpenAPI document',
      operationId: 'getOpenApi',
      tags: ['operations'],
      responses: { '200': { description: 'OpenAPI 3.1 document of every route.', content: jsonContent({ type: 'object' }) } },
    },
  },
};
