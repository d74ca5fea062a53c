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
  // The dashboard's page, script and styles: the same files for everyone, no data. What the page shows comes from the
  // routes below, each checked as always; in Azure the page is still behind sign-in (not an Easy Auth excluded path).
  dashboard: { route: 'dashboard', GET: PUBLIC },
  dashboardAsset: { route: 'dashboard/{*asset}', GET: PUBLIC },
  webhooksReceive: { route: 'webhooks/{source}', POST: SIGNED },
  // A receipt lists the partners and refusals of a source's delivery: the sender's operators read it.
  // Authenticated by Microsoft's signature and certificate (shared/partner-center/verify.ts), not by a caller.
  partnerCenterEvents: { route: 'partner-center/{partnerId}/events', POST: SIGNED },
  webhooksDeliveryStatus: { route: 'webhooks/{source}/deliveries/{webhookId}', GET: OPERATOR },

  accessMe: { route: 'access/me', GET: CALLER },
  partnersList: { route: 'partners', GET: CALLER },
  // The rule data's certification catalogue: the same for every caller, no partner data.
  catalogCertifications: { route: 'catalog/certifications', GET: CALLER },

  partnerAssociations: { route: 'partners/{partnerId}/associations', GET: READ },
  partnerProfessionals: { route: 'partners/{partnerId}/professionals', GET: READ },
  partnerTelemetry: { route: 'partners/{partnerId}/telemetry', GET: READ },
  partnerCustomers: { route: 'partners/{partnerId}/customers', GET: READ },
  partnerProfile: { route: 'partners/{partnerId}/profile', GET: READ },
  scoresGet: { route: 'partners/{partnerId}/scores', GET: READ },
  scoresAreaGet: { route: 'partners/{partnerId}/scores/{area}', GET: READ },
  scoresAreaHistory: { route: 'partners/{partnerId}/scores/{area}/history', GET: READ },
  forecast: { route: 'partners/{partnerId}/forecast', GET: READ },
  alertsGet: { route: 'partners/{partnerId}/alerts', GET: READ },
  certWarnings: { route: 'partners/{partnerId}/cert-warnings', GET: READ },
  certSourcesGet: { route: 'partners/{partnerId}/cert-sources', GET: READ },
  certSyncPartnerGet: { route: 'partners/{partnerId}/cert-sync', GET: READ },
  partnerAudit: { route: 'partners/{partnerId}/audit', GET: READ },
  partnerNotificationSettings: { route: 'partners/{partnerId}/notification', GET: READ, PUT: EDIT },

  certSourcesPut: { route: 'partners/{partnerId}/cert-sources', PUT: EDIT },
  certImportsPost: { route: 'partners/{partnerId}/cert-imports', POST: EDIT },
  importsPost: { route: 'partners/{partnerId}/imports', POST: EDIT },
  importsGet: { route: 'partners/{partnerId}/imports/{runId}', GET: READ },
  certSyncPartnerStart: { route: 'partners/{partnerId}/cert-sync', POST: EDIT },
  transcriptsPut: { route: 'partners/{partnerId}/professionals/{professionalId}/transcript', PUT: EDIT },
  transcriptsDelete: { route: 'partners/{partnerId}/professionals/{professionalId}/transcript', DELETE: EDIT },
  // A simulation reads everything about the partner and is costly: editors only. It changes nothing.
  simulate: { route: 'partners/{partnerId}/simulate', POST: { kind: 'partner', need: 'edit', changes: false } },

  runsLatest: { route: 'runs', GET: OPERATOR },
  runsGet: { route: 'runs/{id}', GET: OPERATOR },
  runsRecomputeStart: { route: 'runs/recompute', POST: OPERATOR },
  certSyncStart: { route: 'runs/cert-sync', POST: OPERATOR },
  certSyncRunGet: { route: 'cert-sync/runs/{runId}', GET: OPERATOR },
  deadLettersList: { route: 'dead-letters', GET: OPERATOR },
  deadLettersReplay: { route: 'dead-letters/{id}/replay', POST: OPERATOR },
  serviceAudit: { route: 'audit', GET: OPERATOR },
  accessGrantsList: { route: 'access/grants', GET: OPERATOR },
  accessGrant: { route: 'access/grants/{grantId}', GET: OPERATOR, PUT: OPERATOR, DELETE: OPERATOR },
  accessPartnerGroupsList: { route: 'access/partner-groups', GET: OPERATOR },
  accessPartnerGroup: { route: 'access/partner-groups/{groupId}', GET: OPERATOR, PUT: OPERATOR, DELETE: OPERATOR },
};

/** The rule for a function and method; undefined means the route is not in the table and must be refused. */
export function routeAccess(functionName: string, method: string): RouteAccess | undefined {
  const entry = ROUTE_ACCESS[functionName];
  return entry?.[method.toUpperCase() as Method];
}

/** A route template as OpenAPI writes it: a catch-all `{*asset}`, `{name?}` or `{id:int}` is a plain `{name}`. */
export const openApiRoute = (template: string) => template.replace(/\{\*?([^}:?]+)(:[^}]*)?\??\}/g, '{$1}');

/** The rule for an OpenAPI path (`/partners/{partnerId}/scores`) and method, for the API description. */
export function routeAccessByPath(path: string, method: string): { functionName: string; rule: RouteAccess } | undefined {
  const route = path.replace(/^\//, '');
  for (const [functionName, entry] of Object.entries(ROUTE_ACCESS)) {
    if (openApiRoute(entry.route) !== route) continue;
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
