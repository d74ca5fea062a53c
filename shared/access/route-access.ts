import type { Need } from './grants';

/**
 * Who may call each HTTP function, by function name and method: the one table the access checks, the OpenAPI
 * document and docs/security.md follow. `public` routes answer anyone (health, the API description); `signed`
 * routes authenticate the request itself (webhook signatures); every other route needs a caller with the grant.
 * test/access/route-access.test.ts fails when a registered function or method is missing here.
 */
export type RouteAccess = { kind: 'public' } | { kind: 'signed' } | { kind: 'partner'; need: Exclude<Need, 'operate'> } | { kind: 'operator' };

const PUBLIC = { kind: 'public' } as const;
const SIGNED = { kind: 'signed' } as const;
const READ = { kind: 'partner', need: 'read' } as const;
const EDIT = { kind: 'partner', need: 'edit' } as const;
const OPERATOR = { kind: 'operator' } as const;

export const ROUTE_ACCESS: Record<string, Partial<Record<'GET' | 'POST' | 'PUT' | 'DELETE', RouteAccess>>> = {
  health: { GET: PUBLIC },
  openapi: { GET: PUBLIC },
  'webhooks-receive': { POST: SIGNED },
  // A receipt lists the partners and refusals of a source's delivery: the sender's operators read it.
  'webhooks-delivery-status': { GET: OPERATOR },

  'partner-associations': { GET: READ },
  'partner-professionals': { GET: READ },
  'partner-telemetry': { GET: READ },
  'scores-get': { GET: READ },
  'scores-area-get': { GET: READ },
  'scores-area-history': { GET: READ },
  forecast: { GET: READ },
  'alerts-get': { GET: READ },
  'cert-warnings': { GET: READ },
  'cert-sources-get': { GET: READ },
  'cert-sync-partner-get': { GET: READ },
  'partner-notification-settings': { GET: READ, PUT: EDIT },

  'cert-sources-put': { PUT: EDIT },
  'cert-imports-post': { POST: EDIT },
  'cert-sync-partner-start': { POST: EDIT },
  'transcripts-put': { PUT: EDIT },
  'transcripts-delete': { DELETE: EDIT },
  // A simulation reads everything about the partner and is costly: editors only.
  simulate: { POST: EDIT },

  'runs-latest': { GET: OPERATOR },
  'runs-get': { GET: OPERATOR },
  'runs-recompute-start': { POST: OPERATOR },
  'cert-sync-start': { POST: OPERATOR },
  'cert-sync-run-get': { GET: OPERATOR },
  'dead-letters-list': { GET: OPERATOR },
  'dead-letters-replay': { POST: OPERATOR },
};

/** The rule for a function and method; undefined means the route is not in the table and must be refused. */
export function routeAccess(functionName: string, method: string): RouteAccess | undefined {
  return ROUTE_ACCESS[functionName]?.[method.toUpperCase() as 'GET'];
}
