/**
 * Sign-in in the deployed configuration: App Service Authentication (Easy Auth v2) with Microsoft Entra ID in
 * front of the Function App, checked on the compiled ARM JSON of every environment. Every registered HTTP route
 * is tried against the excluded paths as Easy Auth matches them, so a new route cannot slip out of sign-in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeAccess } from '../../shared/access/route-access';
import { DEFAULT_CONTEXT, evaluate, TemplateFailure, type DeployedResource, type Deployment } from './arm';
import { registeredHttpRoutes, routePrefix, type HttpRoute } from '../helpers/http-routes';
import { BICEP_TIMEOUT_MS, buildAllParams, buildTemplate, infraDir } from './bicep';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const ENVIRONMENTS = ['dev', 'test', 'prod'] as const;
type Env = (typeof ENVIRONMENTS)[number];

const CLIENT_ID = '3f9e1c2a-7b4d-4e8f-9a01-5c6d7e8f9a0b';
const PARAM_ENV = { ENTRA_CLIENT_ID: CLIENT_ID, AZURE_PRINCIPAL_ID: undefined, AZURE_LOCATION: undefined, ALERT_EMAIL: undefined };

let mainTemplate: Json;
const params = {} as Record<Env, Record<string, Json>>;
const deployments = {} as Record<Env, Deployment>;

beforeAll(async () => {
  mainTemplate = await buildTemplate(path.join(infraDir, 'main.bicep'));
  const built = await buildAllParams(path.join(infraDir, 'env'), PARAM_ENV);
  for (const env of ENVIRONMENTS) {
    params[env] = built[env]!;
    deployments[env] = evaluate(mainTemplate, params[env]);
  }
}, BICEP_TIMEOUT_MS);

const configOf = (d: Deployment, name: string): DeployedResource | undefined =>
  d.resources.find((r) => r.type === 'Microsoft.Web/sites/config' && r.name.endsWith(`/${name}`));
const authOf = (d: Deployment): Json => {
  const r = configOf(d, 'authsettingsV2');
  expect(r, 'an authsettingsV2 resource').toBeDefined();
  return r!.properties;
};
const settingsOf = (d: Deployment): Record<string, Json> => configOf(d, 'appsettings')!.properties;

/** Easy Auth's documented matching: an excluded path is exact, or a prefix when it ends in '/*'. */
function excludedByEasyAuth(requestPath: string, excluded: readonly string[]): boolean {
  return excluded.some((p) => (p.endsWith('/*') ? requestPath.startsWith(p.slice(0, -1)) : requestPath === p));
}

/** Request paths that reach a route: each {param} filled, {source} once with every configured source. */
function samplePaths(route: HttpRoute, sources: readonly string[]): string[] {
  const fill = (value: string) => `/${routePrefix()}/${route.route}`.replace(/\{source\}/g, value).replace(/\{[^}]+\}/g, 'p-1');
  return route.route.includes('{source}') ? [...sources.map(fill), fill('unlisted-source')] : [fill('x')];
}

describe.each(ENVIRONMENTS)('%s: App Service Authentication', (env) => {
  it('is on with Entra ID: every request needs a token unless excluded, and is refused with 401 without one', () => {
    const auth = authOf(deployments[env]);
    expect(params[env].entraClientId).toBe(CLIENT_ID);
    expect(auth.platform.enabled).toBe(true);
    expect(auth.globalValidation).toMatchObject({ requireAuthentication: true, unauthenticatedClientAction: 'Return401' });
    expect(auth.httpSettings.requireHttps).toBe(true);
    expect(Object.keys(auth.identityProviders)).toEqual(['azureActiveDirectory']);
    expect(auth.identityProviders.azureActiveDirectory.enabled).toBe(true);
  });

  it('keeps no tokens and holds no secret: bearer tokens only, no login flow', () => {
    const auth = authOf(deployments[env]);
    expect(auth.login.tokenStore.enabled).toBe(false);
    const aad = auth.identityProviders.azureActiveDirectory;
    expect(Object.keys(aad.registration).sort()).toEqual(['clientId', 'openIdIssuer']);
    expect(JSON.stringify(auth)).not.toMatch(/secret|thumbprint|certificate|password/i);
  });

  it("accepts tokens of the app registration given as entraClientId, from the deployment's tenant", () => {
    const aad = authOf(deployments[env]).identityProviders.azureActiveDirectory;
    expect(aad.registration.clientId).toBe(CLIENT_ID);
    expect(aad.registration.openIdIssuer).toBe(`https://login.microsoftonline.com/${DEFAULT_CONTEXT.tenantId}/v2.0`);
    expect(aad.validation.allowedAudiences).toEqual([`api://${CLIENT_ID}`, CLIENT_ID]);
    expect(deployments[env].outputs).toMatchObject({ AUTHENTICATION_ENABLED: true, ENTRA_CLIENT_ID: CLIENT_ID });
  });

  it('excludes exactly the webhook receive route of each source, health, and the admin API', () => {
    const sources = (params[env].webhookSources as { name: string }[]).map((s) => s.name);
    expect(sources.length).toBeGreaterThan(0);
    // A name with '/' or '*' would widen the exclusion past its own route.
    for (const s of sources) expect(s).toMatch(/^[a-z0-9-]+$/);
    const prefix = routePrefix();
    expect(authOf(deployments[env]).globalValidation.excludedPaths).toEqual([...sources.map((s) => `/${prefix}/webhooks/${s}`), `/${prefix}/health`, '/admin/*']);
  });

  it('requires sign-in for every registered route but health and the signed webhook endpoint', () => {
    const excluded = authOf(deployments[env]).globalValidation.excludedPaths as string[];
    const sources = (params[env].webhookSources as { name: string }[]).map((s) => s.name);
    const routes = registeredHttpRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(29);
    const open = new Set<string>();
    for (const route of routes) {
      for (const p of samplePaths(route, sources)) {
        if (!excludedByEasyAuth(p, excluded)) continue;
        open.add(route.name);
        // What Easy Auth lets through unauthenticated, the app must not need a caller for.
        for (const method of route.methods) expect(routeAccess(route.name, method)?.kind, `${method} ${p}`).toMatch(/^(public|signed)$/);
        expect(p, 'a source that is not configured stays behind sign-in').not.toContain('unlisted-source');
      }
    }
    expect([...open].sort()).toEqual(['health', 'webhooksReceive']);
  });

  it('lets the Functions admin API through for the master key, and nothing else by that prefix', () => {
    const excluded = authOf(deployments[env]).globalValidation.excludedPaths as string[];
    for (const p of ['/admin/functions/scoreRecomputeNightly', '/admin/host/status']) expect(excludedByEasyAuth(p, excluded), p).toBe(true);
    for (const p of ['/administrator', `/${routePrefix()}/admin/functions/x`, `/${routePrefix()}/webhooks/crm/deliveries/d-1`, `/${routePrefix()}/healthz`, `/${routePrefix()}/health/x`]) {
      expect(excludedByEasyAuth(p, excluded), p).toBe(false);
    }
  });

  it('sets no function key, host key or auth setting of its own in the app settings', () => {
    expect(deployments[env].resources.filter((r) => /functionKeys|systemKeys|\/keys$|host\//i.test(r.type)).map((r) => r.type)).toEqual([]);
    const settings = settingsOf(deployments[env]);
    // WEBSITE_AUTH_ENABLED is the platform's word that Easy Auth runs; set here, it would make the app believe
    // a forged x-ms-client-principal whenever sign-in is off.
    expect(Object.keys(settings).filter((k) => /^WEBSITE_AUTH_|^MICROSOFT_PROVIDER_AUTHENTICATION_SECRET$/i.test(k))).toEqual([]);
    for (const [name, value] of Object.entries(settings)) {
      if (/key|secret|password|token/i.test(name) && !/^APPLICATIONINSIGHTS_/.test(name)) {
        expect(String(value), `${name} is a Key Vault reference, never a value`).toMatch(/^@Microsoft\.KeyVault\(VaultName=[^;]+;SecretName=[a-z0-9-]+\)$/);
      }
    }
  });
});

describe('authentication parameters', () => {
  const withParams = (over: Record<string, Json>) => evaluate(mainTemplate, { ...params.dev, ...over });

  it('are passed through: another app registration and tenant', () => {
    const other = '0a1b2c3d-0000-4000-8000-000000000001';
    const tenant = '99999999-8888-4777-8666-555555555555';
    const aad = authOf(withParams({ entraClientId: other, entraTenantId: tenant })).identityProviders.azureActiveDirectory;
    expect(aad.registration).toEqual({ clientId: other, openIdIssuer: `https://login.microsoftonline.com/${tenant}/v2.0` });
    expect(aad.validation.allowedAudiences).toEqual([`api://${other}`, other]);
  });

  it('without an app registration, deploy Easy Auth switched off (the app then refuses every API call that needs a caller)', () => {
    const d = withParams({ entraClientId: '' });
    const auth = authOf(d);
    expect(auth.platform.enabled).toBe(false);
    expect(auth.identityProviders).toEqual({});
    expect(d.outputs).toMatchObject({ AUTHENTICATION_ENABLED: false, ENTRA_CLIENT_ID: '' });
    expect(Object.keys(settingsOf(d)).filter((k) => /^WEBSITE_AUTH_/i.test(k))).toEqual([]);
  });

  it('stop a deployment that asks for sign-in without a client id, as test and prod do without ENTRA_CLIENT_ID', () => {
    expect(() => withParams({ entraClientId: '', enableAuthentication: true })).toThrow(TemplateFailure);
    expect(() => withParams({ entraClientId: '', enableAuthentication: true })).toThrow(/enableAuthentication needs entraClientId/);
    for (const env of ['test', 'prod'] as const) {
      expect(params[env].enableAuthentication, env).toBe(true);
      expect(() => evaluate(mainTemplate, { ...params[env], entraClientId: '' }), env).toThrow(/needs entraClientId/);
    }
    // dev follows the client id: on with one, off without.
    expect(params.dev).not.toHaveProperty('enableAuthentication');
  });

  it('are read by azd from ENTRA_CLIENT_ID', () => {
    const file = JSON.parse(readFileSync(path.join(infraDir, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, { value: unknown }> };
    expect(file.parameters.entraClientId?.value).toBe('${ENTRA_CLIENT_ID=}');
  });
});
