import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../helpers/host-process';

/** The served OpenAPI document covers every HTTP route the app registers (read from the host's start-up summary). */
describe('GET /api/openapi.json', () => {
  let host: HostProcess;
  let doc: { openapi: string; paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };

  beforeAll(async () => {
    host = await startHostProcess({ env: { WEBHOOK_SOURCES: '' } });
    const res = await fetch(`${host.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as typeof doc;
  });
  afterAll(async () => {
    await host?.stop();
  });

  function registeredRoutes(): { method: string; path: string }[] {
    const routes: { method: string; path: string }[] = [];
    for (const m of host.output().matchAll(/^\s+\S+\s+\[([A-Z,]+)\] https?:\/\/[^/\s]+\/api(\/\S*)$/gm)) {
      // Route templates: catch-alls `{*name}`, optional parameters `{name?}` and constraints `{id:int}` are plain `{name}` in OpenAPI.
      const path = m[2]!.replace(/\{\*?([^}:?]+)(:[^}]*)?\??\}/g, '{$1}');
      for (const method of m[1]!.split(',')) routes.push({ method: method.toLowerCase(), path });
    }
    return routes;
  }

  it('documents every HTTP route the app registers, with its method', () => {
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(8);
    const missing = routes.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing, `routes missing from the OpenAPI document (add them in shared/http/openapi-paths/)`).toEqual([]);
  });

  it('is OpenAPI 3.1 with unique operation ids and responses on every operation', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of Object.values(doc.paths)) for (const op of Object.values(item)) expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    expect(doc.paths['/webhooks/{source}']!.post!.responses).toHaveProperty('401');
  });
});
