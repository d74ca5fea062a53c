import { DASHBOARD_FILES } from '../dashboard-assets';
import { errorResponses, pathParameter, type FeaturePaths } from '../openapi-helpers';

/** The dashboard page and its bundle (docs/dashboard.md): files, not JSON; the data comes from the other routes. */

const version = { name: 'v', in: 'query', required: false, description: 'The bundle version the page links with; the current one makes the file cacheable for a year.', schema: { type: 'string' } };
const headers = {
  'content-security-policy': { description: "default-src 'self' and nothing else: no external request, no inline script.", schema: { type: 'string' } },
  'cache-control': { description: 'no-cache for the page; immutable for a file asked for with the current version.', schema: { type: 'string' } },
};

export const dashboardPaths: FeaturePaths = {
  '/dashboard': {
    get: {
      summary: 'The dashboard: a page that shows the partners the caller may see, their scores, plans, history, risks and what-if',
      operationId: 'getDashboard',
      tags: ['dashboard'],
      responses: { '200': { description: 'The page.', headers, content: { 'text/html': { schema: { type: 'string' } } } }, ...errorResponses(503) },
    },
  },
  '/dashboard/{asset}': {
    get: {
      summary: "The dashboard's script and styles",
      operationId: 'getDashboardAsset',
      tags: ['dashboard'],
      parameters: [{ ...pathParameter('asset', 'A file of the bundle.'), schema: { type: 'string', enum: Object.keys(DASHBOARD_FILES) } }, version],
      responses: {
        '200': { description: 'The file.', headers, content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } }, 'text/html': { schema: { type: 'string' } } } },
        ...errorResponses(404, 503),
      },
    },
  },
};
