import type { Need } from './grants';

/**
 * Who may call each HTTP function, by function name and method, with the function's route: the one table the
 * access check (functions/access-control.ts), the OpenAPI document and docs/security.md follow.
 * - `public`: anyone (health, the API description);
 * - `signed`: the request authenticates itself (webhook signatures);
 * - `caller`: any signed-in caller; what it sees is limited to its grants (who am I, the partner list);
 * - `partner`: a caller with the need (`read` or `edit`) on the partner in the path;
 * - `operator`: a caller with the operator role.
 * `changes: false` marks a POST that changes nothing (a simulation), so it is not audited.
 * test/access/route-access.test.ts fails when a registered function, method or route differs from this table.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'signed' }
  | { kind: 'caller' }
  | { kind: 'partner'; need: Exclude<Need, 'operate'>; changes?: false }
  | { kind: 'operator' };

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type RouteEntry = { route: string } & Partial<Record<Method, RouteAccess>>;

const PUBLIC = { kind: 'public' } as const;
const SIGNED = { kind: 'signed' } as const;
const CALLER = { kind: 'caller' } as const;
const READ = { kind: 'partner', need: 'read' } as const;
const EDIT = { kind: 'partner', need: 'edit' } as const;
const OPERATOR = { kind: 'operator' } as const;

export const ROUTE_ACCESS: Record<string, RouteEntry> = {
  health: { route: 'health', GET: PUBLIC },
  openapi: { route: 'openapi.json', GET: PUBLIC },
  'webhooks-receive': { route: 'webhooks/{source}', POST: SIGNED },
  // A receipt lists the partners and refusals of a source's delivery: the sender's operators read it.
  // Authenticated by Microsoft's signature and certificate (shared/partner-center/verify.ts), not by a caller.
  partnerCenterEvents: { route: 'partner-center/{partnerId}/events', POST: SIGNED },
  'webhooks-delivery-status': { route: 'webhooks/{source}/deliveries/{webhookId}', GET: OPERATOR },

  'access-me': { route: 'access/me', GET: CALLER },
  'partners-list': { route: 'partners', GET: CALLER },
  // The rule data's certification catalogue: the same for every caller, no partner data.
  'catalog-certifications': { route: 'catalog/certifications', GET: CALLER },

  'partner-associations': { route: 'partners/{partnerId}/associations', GET: READ },
  'partner-professionals': { route: 'partners/{partnerId}/professionals', GET: READ },
  'partner-telemetry': { route: 'partners/{partnerId}/telemetry', GET: READ },
  'scores-get': { route: 'partners/{partnerId}/scores', GET: READ },
  'scores-area-get': { route: 'partners/{partnerId}/scores/{area}', GET: READ },
  'scores-area-history': { route: 'partners/{partnerId}/scores/{area}/history', GET: READ },
  forecast: { route: 'partners/{partnerId}/forecast', GET: READ },
  'alerts-get': { route: 'partners/{partnerId}/alerts', GET: READ },
  'cert-warnings': { route: 'partners/{partnerId}/cert-warnings', GET: READ },
  'cert-sources-get': { route: 'partners/{partnerId}/cert-sources', GET: READ },
  'cert-sync-partner-get': { route: 'partners/{partnerId}/cert-sync', GET: READ },
  'partner-audit': { route: 'partners/{partnerId}/audit', GET: READ },
  'partner-notification-settings': { route: 'partners/{partnerId}/notification', GET: READ, PUT: EDIT },

  'cert-sources-put': { route: 'partners/{partnerId}/cert-sources', PUT: EDIT },
  'cert-imports-post': { route: 'partners/{partnerId}/cert-imports', POST: EDIT },
  'cert-sync-partner-start': { route: 'partners/{partnerId}/cert-sync', POST: EDIT },
  'transcripts-put': { route: 'partners/{partnerId}/professionals/{professionalId}/transcript', PUT: EDIT },
  'transcripts-delete': { route: 'partners/{partnerId}/professionals/{professionalId}/transcript', DELETE: EDIT },
  // A simulation reads everything about the partner and is costly: editors only. It changes nothing.
  simulate: { route: 'partners/{partnerId}/simulate', POST: { kind: 'partner', need: 'edit', changes: false } },

  'runs-latest': { route: 'runs', GET: OPERATOR },
  'runs-get': { route: 'runs/{id}', GET: OPERATOR },
  'runs-recompute-start': { route: 'runs/recompute', POST: OPERATOR },
  'cert-sync-start': { route: 'runs/cert-sync', POST: OPERATOR },
  'cert-sync-run-get': { route: 'cert-sync/runs/{runId}', GET: OPERATOR },
  'dead-letters-list': { route: 'dead-letters', GET: OPERATOR },
  'dead-letters-replay': { route: 'dead-letters/{id}/replay', POST: OPERATOR },
  'service-audit': { route: 'audit', GET: OPERATOR },
  'access-grants-list': { route: 'access/grants', GET: OPERATOR },
  'access-grant': { route: 'access/grants/{grantId}', GET: OPERATOR, PUT: OPERATOR, DELETE: OPERATOR },
  'access-partner-groups-list': { route: 'access/partner-groups', GET: OPERATOR },
  'access-partner-group': { route: 'access/partner-groups/{groupId}', GET: OPERATOR, PUT: OPERATOR, DELETE: OPERATOR },
};

/** The rule for a function and method; undefined means the route is not in the table and must be refused. */
export function routeAccess(functionName: string, method: string): RouteAccess | undefined {
  const entry = ROUTE_ACCESS[functionName];
  return entry?.[method.toUpperCase() as Method];
}

/** The rule for an OpenAPI path (`/partners/{partnerId}/scores`) and method, for the API description. */
export function routeAccessByPath(path: string, method: string): { functionName: string; rule: RouteAccess } | undefined {
  const route = path.replace(/^\//, '');
  for (const [functionName, entry] of Object.entries(ROUTE_ACCESS)) {
    if (entry.route !== route) continue;
    const rule = routeAccess(functionName, method);
    if (rule) return { functionName, rule };
  }
  return undefined;
}

/** Every function and method in the table. */
export function routeAccessRows(): { functionName: string; method: Method; route: string; rule: RouteAccess }[] {
  return Object.entries(ROUTE_ACCESS).flatMap(([functionName, entry]) =>
    (['GET', 'POST', 'PUT', 'DELETE'] as const).flatMap((method) => (entry[method] ? [{ functionName, method, route: entry.route, rule: entry[method]! }] : [])),
  );
}

/** The rule in words, for the API description and docs/security.md. */
export function describeRule(rule: RouteAccess): string {
  switch (rule.kind) {
    case 'public':
      return 'anyone';
    case 'signed':
      return 'a signed webhook delivery';
    case 'caller':
      return 'any signed-in caller (sees only its grants)';
    case 'partner':
      return rule.need === 'read' ? 'partner.reader of the partner' : 'partner.editor of the partner';
    case 'operator':
      return 'operator';
  }
}
