import { describe, expect, it } from 'vitest';
import { registeredHttpRoutes, type HttpRoute } from '../functions/routes';
import { ROUTE_ACCESS, routeAccess, routeAccessByPath, routeAccessRows } from '../../shared/access/route-access';
import { buildOpenApiDocument } from '../../shared/http/openapi';

let routes: HttpRoute[];

describe('the route access table', () => {
  it('has a rule for every HTTP function and method the app registers, at its route, and none for routes that do not exist', async () => {
    routes = await registeredHttpRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(37);
    const registered = routes.flatMap((r) => r.methods.map((m) => `${m} ${r.name} ${r.route}`)).sort();
    const table = routeAccessRows().map((r) => `${r.method} ${r.functionName} ${r.route}`).sort();
    expect(table).toEqual(registered);
    for (const r of routes) for (const m of r.methods) expect(routeAccess(r.name, m), `${m} ${r.name}`).toBeDefined();
  });

  it('leaves only health, the API description, the dashboard files (no data) and the signed webhook endpoints open', () => {
    const open = routeAccessRows().filter((r) => r.rule.kind === 'public' || r.rule.kind === 'signed').map((r) => r.functionName);
    expect(open.sort()).toEqual(['dashboard', 'dashboardAsset', 'health', 'openapi', 'partnerCenterEvents', 'webhooksReceive']);
  });

  it('finds a rule for every operation of the API description, and the description states it', () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, { 'x-access'?: string; security?: unknown[] }>> };
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters') continue;
        const found = routeAccessByPath(path, method);
        if (!found) missing.push(`${method.toUpperCase()} ${path}`);
        else expect(op['x-access'], `${method} ${path}`).toBeTruthy();
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).length).toBeGreaterThan(30);
  });
});
