import type { HttpResponseInit } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { registeredHttpRoutes, type HttpRoute } from './routes';

/**
 * Every route with a {partnerId} answers a malformed one with the same 400 naming the field, before it reads a store
 * or a body: these run without Cosmos DB or storage.
 */

let routes: HttpRoute[];
let azure: typeof import('@azure/functions');

beforeAll(async () => {
  routes = await registeredHttpRoutes();
  azure = await import('@azure/functions');
});

const call = async (r: HttpRoute, method: string, partnerId: string) => {
  const params: Record<string, string> = {};
  for (const [, name] of r.route.matchAll(/\{(\w+)\}/g)) params[name!] = name === 'partnerId' ? partnerId : 'x';
  const request = new azure.HttpRequest({ method, url: `http://localhost/api/${r.route.replace('{partnerId}', encodeURIComponent(partnerId))}`, params, body: { string: '{}' }, headers: { 'content-type': 'application/json' } });
  // Our handlers return plain HttpResponseInit objects, never an HttpResponse.
  return (await r.handler(request, new azure.InvocationContext({ functionName: r.name, logHandler: () => {} }))) as HttpResponseInit;
};

describe('the {partnerId} of every route', () => {
  it('is found on the routes this test is meant to cover', () => {
    const names = routes.filter((r) => r.route.includes('{partnerId}')).map((r) => r.name);
    // A floor, not the list: new routes join the check below on their own.
    expect(names).toEqual(expect.arrayContaining(['scoresGet', 'partnerAssociations', 'simulate', 'forecast', 'alertsGet', 'certWarnings', 'transcriptsPut', 'transcriptsDelete', 'certImportsPost', 'certSourcesGet', 'certSourcesPut', 'certSyncPartnerStart', 'certSyncPartnerGet', 'partnerNotificationSettings']));
  });

  for (const [what, bad] of [
    ['longer than 128 characters', 'p'.repeat(129)],
    ['holding #', 'p#1'],
    ['holding ?', 'p?1'],
    ['holding a backslash', 'p\\1'],
  ] as const) {
    it(`answers 400 naming partnerId for one ${what}`, async () => {
      for (const r of routes.filter((x) => x.route.includes('{partnerId}'))) {
        for (const method of r.methods) {
          const res = await call(r, method, bad);
          const body = res.jsonBody as { error: string; message: string; details: { path: string }[] };
          expect({ route: `${method} ${r.route}`, status: res.status }).toEqual({ route: `${method} ${r.route}`, status: 400 });
          expect(body.error).toBe('BadRequest');
          expect(body.message).toMatch(/^partnerId: /);
          expect(body.details.length).toBeGreaterThan(0);
          expect(body.details.every((d) => d.path === 'partnerId')).toBe(true);
        }
      }
    });
  }

  it('is documented: every {partnerId} operation in the OpenAPI document lists the 400', () => {
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, { responses?: Record<string, unknown> }>>;
    const missing = Object.entries(paths)
      .filter(([p]) => p.includes('{partnerId}'))
      .flatMap(([p, item]) => Object.entries(item).filter(([, op]) => op.responses && !op.responses['400']).map(([m]) => `${m} ${p}`));
    expect(missing).toEqual([]);
  });
});
