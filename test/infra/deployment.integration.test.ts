/**
 * Compiles infra/ with the real Bicep CLI and checks what the deployment would create, for each
 * environment's parameter file: no keys anywhere, identity-based settings, every container, queue and
 * setting the app's code uses, tags, and role assignments.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSettings, BINDING_SETTING_DEFAULTS } from '../../shared/config/settings';
import { ALL_QUEUES } from '../../shared/queues/names';
import { ALL_CONTAINERS, CONTAINERS } from '../../shared/store/containers';
import { APP_INSIGHTS_COLUMNS } from './app-insights-schema';
import { evaluate, RuntimeValue, type DeployedResource, type Deployment } from './arm';
import { BICEP_TIMEOUT_MS, buildAllParams, buildTemplate, infraDir, repoRoot } from './bicep';
import { checkQuery } from './kql';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const ENVIRONMENTS = ['dev', 'test', 'prod'] as const;
type Env = (typeof ENVIRONMENTS)[number];

// What the parameter files read from the environment: a developer's object id (dev and test grant it
// data access; prod ignores it), an alert address (test and prod), so the optional branches are
// exercised too, and the app registration that test and prod require (authentication.integration.test.ts).
const DEVELOPER_ID = 'dddddddd-dddd-dddd-dddd-dddddddddddd';
const PARAM_ENV = { AZURE_PRINCIPAL_ID: DEVELOPER_ID, AZURE_LOCATION: undefined, ALERT_EMAIL: 'ops@example.com', ENTRA_CLIENT_ID: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc' };

const ROLE = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  cosmosDataContributor: '00000000-0000-0000-0000-000000000002',
};

let mainTemplate: Json;
let mainText: string;
const params = {} as Record<Env, Record<string, Json>>;
const deployments = {} as Record<Env, Deployment>;

beforeAll(async () => {
  // Two CLI processes, one after the other: the machine has two cores and other tests run beside these.
  mainTemplate = await buildTemplate(path.join(infraDir, 'main.bicep'));
  mainText = JSON.stringify(mainTemplate);
  const built = await buildAllParams(path.join(infraDir, 'env'), PARAM_ENV);
  expect(Object.keys(built).sort()).toEqual([...ENVIRONMENTS].sort());
  for (const env of ENVIRONMENTS) {
    params[env] = built[env]!;
    deployments[env] = evaluate(mainTemplate, params[env]);
  }
}, BICEP_TIMEOUT_MS);

const all = (env: Env, type: string): DeployedResource[] =>
  deployments[env].resources.filter((r) => r.type.toLowerCase() === type.toLowerCase() && !r.existing);

function one(env: Env, type: string): DeployedResource {
  const found = all(env, type);
  expect(found, `exactly one ${type} in ${env}`).toHaveLength(1);
  return found[0]!;
}

const appSettings = (env: Env): Record<string, Json> => {
  const config = all(env, 'Microsoft.Web/sites/config').find((r) => r.name.endsWith('/appsettings'));
  expect(config, 'an appsettings resource').toBeDefined();
  return config!.properties as Record<string, Json>;
};

const roleAssignments = (env: Env) => all(env, 'Microsoft.Authorization/roleAssignments');
const roleIdOf = (r: DeployedResource) => String(r.properties.roleDefinitionId).split('/').pop();
const appIdentity = (env: Env) => one(env, 'Microsoft.ManagedIdentity/userAssignedIdentities');
const isAppPrincipal = (env: Env, value: Json) =>
  value instanceof RuntimeValue && value.path.includes(`/userAssignedIdentities/${appIdentity(env).name}.principalId`);

/** Source files of the app's functions (written by other work streams; may be few or none yet). */
function functionSources(): string[] {
  const dir = path.join(repoRoot, 'functions');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
}

describe('compiled template (raw ARM JSON)', () => {
  it('never reads a key or builds a key-based connection string', () => {
    for (const banned of [
      'listKeys',
      'listConnectionStrings',
      'listAccountSas',
      'listServiceSas',
      'listCredentials',
      'primaryMasterKey',
      'AccountKey=',
      'SharedAccessKey',
      'SharedAccessSignature',
      'UseDevelopmentStorage',
    ]) {
      expect(mainText, banned).not.toContain(banned);
    }
  });

  it('names every role assignment with guid() of stable inputs', () => {
    const names: string[] = [];
    const walk = (t: Json) => {
      const resources = Array.isArray(t.resources) ? t.resources : Object.values(t.resources ?? {});
      for (const r of resources as Json[]) {
        if (/roleAssignments$/i.test(r.type)) names.push(r.name);
        if (r.type === 'Microsoft.Resources/deployments') walk(r.properties.template);
      }
    };
    walk(mainTemplate);
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const n of names) {
      // sqlRoleAssignments are children: their name is '<account>/<guid>'.
      expect(n).toMatch(/^\[(guid\(|format\('\{0\}\/\{1\}', .*guid\()/);
      expect(n, 'no runtime value (reference) in a role assignment name').not.toContain('reference(');
    }
  });

  it('declares no secure output and no output that looks like a secret', () => {
    for (const [name, out] of Object.entries(mainTemplate.outputs as Record<string, Json>)) {
      expect(String(out.type).toLowerCase(), name).not.toMatch(/^secure/);
      expect(name).not.toMatch(/secret|password|connectionstring|accountkey|masterkey|instrumentationkey/i);
      expect(JSON.stringify(out.value), name).not.toMatch(/ConnectionString|InstrumentationKey|list[A-Z]/);
    }
  });

  it('deploys on Node 22 by default and allows only supported runtimes (22, 24), never the end-of-life Node 20', () => {
    const nodeVersion = mainTemplate.parameters.nodeVersion as Json;
    expect(nodeVersion.defaultValue).toBe('22');
    expect([...nodeVersion.allowedValues].sort()).toEqual(['22', '24']);
    // The code and tests keep running on the machines' Node 20: engines allows it.
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=20');
  });

  it('pins every API version and uses no preview version', () => {
    const versions: string[] = [];
    const walk = (t: Json) => {
      const resources = Array.isArray(t.resources) ? t.resources : Object.values(t.resources ?? {});
      for (const r of resources as Json[]) {
        if (r.type === 'Microsoft.Resources/deployments') walk(r.properties.template);
        else versions.push(`${r.type}@${r.apiVersion}`);
      }
    };
    walk(mainTemplate);
    for (const v of versions) expect(v).toMatch(/@\d{4}-\d{2}-\d{2}$/);
  });
});

describe('main.parameters.json (azd)', () => {
  it('names only parameters main.bicep declares and gives every required one', () => {
    const file = JSON.parse(readFileSync(path.join(infraDir, 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, unknown>;
    };
    const declared = mainTemplate.parameters as Record<string, Json>;
    for (const name of Object.keys(file.parameters)) expect(declared, name).toHaveProperty(name);
    const required = Object.entries(declared)
      .filter(([, d]) => !('defaultValue' in d))
      .map(([n]) => n);
    for (const name of required) expect(file.parameters, name).toHaveProperty(name);
  });

  it('deploys on paper once azd has substituted its variables', () => {
    const text = readFileSync(path.join(infraDir, 'main.parameters.json'), 'utf8');
    const azdEnv: Record<string, string> = { AZURE_ENV_NAME: 'pcs-azd', AZURE_LOCATION: 'westeurope', AZURE_PRINCIPAL_ID: DEVELOPER_ID };
    // ${NAME} or ${NAME=default}, as azd expands them.
    const expanded = text.replace(/\$\{([A-Z0-9_]+)(?:=([^}]*))?\}/g, (_m, name: string, fallback?: string) => azdEnv[name] ?? fallback ?? '');
    const declared = mainTemplate.parameters as Record<string, Json>;
    const values = Object.fromEntries(
      Object.entries((JSON.parse(expanded) as { parameters: Record<string, { value: Json }> }).parameters).map(([k, v]) => {
        // azd converts strings to the declared int and bool types.
        const type = String(declared[k]?.type).toLowerCase();
        const value = typeof v.value === 'string' && type === 'int' ? Number(v.value) : typeof v.value === 'string' && type === 'bool' ? v.value === 'true' : v.value;
        return [k, value];
      }),
    );
    const d = evaluate(mainTemplate, values);
    const rg = d.resources.find((r) => r.type === 'Microsoft.Resources/resourceGroups');
    expect(rg?.name).toBe('rg-pcs-azd');
    const site = d.resources.find((r) => r.type === 'Microsoft.Web/sites');
    expect(site?.tags).toMatchObject({ 'azd-env-name': 'pcs-azd', 'azd-service-name': 'api' });
  });
});

describe.each(ENVIRONMENTS)('%s deployment', (env) => {
  it('tags every tracked resource with azd-env-name and the environment tags', () => {
    const tracked = deployments[env].resources.filter((r) => !r.existing && r.location !== undefined);
    // Child resources (blob containers, Cosmos databases, app settings) and role assignments have no
    // location and are not billed or listed on their own; their parent's tags cover them.
    const types = new Set(tracked.map((r) => r.type));
    for (const t of [
      'Microsoft.Resources/resourceGroups',
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.OperationalInsights/workspaces',
      'Microsoft.Insights/components',
      'Microsoft.Storage/storageAccounts',
      'Microsoft.DocumentDB/databaseAccounts',
      'Microsoft.KeyVault/vaults',
      'Microsoft.Web/serverfarms',
      'Microsoft.Web/sites',
      'Microsoft.Insights/scheduledQueryRules',
      'Microsoft.Insights/metricAlerts',
    ]) {
      expect(types, t).toContain(t);
    }
    for (const r of tracked) {
      expect(r.tags, `${r.type} ${r.name}`).toBeDefined();
      expect(r.tags!['azd-env-name'], `${r.type} ${r.name}`).toBe(params[env].environmentName);
      expect(r.tags, `${r.type} ${r.name}`).toMatchObject(params[env].tags);
    }
    const untagged = deployments[env].resources.filter((r) => !r.existing && r.location === undefined);
    for (const r of untagged) expect(r.type.split('/').length > 2 || /roleAssignments$/.test(r.type), r.type).toBe(true);
  });

  it('names resources from one abbreviation scheme and a unique token', () => {
    const token = one(env, 'Microsoft.Storage/storageAccounts').name.replace(/^st/, '');
    expect(token).toMatch(/^[a-z0-9]{13}$/);
    const prefixes: Record<string, string> = {
      'Microsoft.ManagedIdentity/userAssignedIdentities': 'id-',
      'Microsoft.OperationalInsights/workspaces': 'log-',
      'Microsoft.Insights/components': 'appi-',
      'Microsoft.DocumentDB/databaseAccounts': 'cosmos-',
      'Microsoft.KeyVault/vaults': 'kv-',
      'Microsoft.Web/serverfarms': 'plan-',
      'Microsoft.Web/sites': 'func-',
    };
    for (const [type, prefix] of Object.entries(prefixes)) {
      const name = one(env, type).name;
      expect(name.startsWith(prefix), `${type} ${name}`).toBe(true);
      expect(name.endsWith(token), `${type} ${name}`).toBe(true);
    }
    expect(one(env, 'Microsoft.KeyVault/vaults').name.length).toBeLessThanOrEqual(24);
  });

  it('runs the app on Flex Consumption with its deployment package in a blob container reached by identity', () => {
    const plan = one(env, 'Microsoft.Web/serverfarms');
    expect(plan.sku).toMatchObject({ name: 'FC1', tier: 'FlexConsumption' });
    expect(plan.properties.reserved).toBe(true);

    const site = one(env, 'Microsoft.Web/sites');
    const identity = appIdentity(env);
    const identityId = `/userAssignedIdentities/${identity.name}`;
    expect(site.kind).toBe('functionapp,linux');
    expect(site.tags!['azd-service-name']).toBe('api');
    expect(Object.keys(site.identity.userAssignedIdentities)).toEqual([expect.stringContaining(identityId)]);
    expect(site.properties.keyVaultReferenceIdentity).toContain(identityId);
    expect(site.properties.httpsOnly).toBe(true);

    const fac = site.properties.functionAppConfig;
    expect(fac.runtime).toEqual({ name: 'node', version: params[env].nodeVersion ?? '22' });
    expect(fac.scaleAndConcurrency.instanceMemoryMB).toBe(params[env].instanceMemoryMB ?? 2048);
    expect(fac.scaleAndConcurrency.maximumInstanceCount).toBe(params[env].maximumInstanceCount ?? 100);
    const alwaysReady = (params[env].alwaysReadyHttpInstances as number | undefined) ?? 0;
    expect(fac.scaleAndConcurrency.alwaysReady).toEqual(alwaysReady > 0 ? [{ name: 'http', instanceCount: alwaysReady }] : []);

    const storage = fac.deployment.storage;
    expect(storage.type).toBe('blobContainer');
    expect(storage.authentication).toEqual({ type: 'UserAssignedIdentity', userAssignedIdentityResourceId: expect.stringContaining(identityId) });
    const container = String(storage.value).replace(/^<runtime:[^>]*primaryEndpoints\.blob>/, '');
    expect(container).not.toBe(String(storage.value));
    const account = one(env, 'Microsoft.Storage/storageAccounts').name;
    expect(all(env, 'Microsoft.Storage/storageAccounts/blobServices/containers').map((c) => c.name)).toContain(
      `${account}/default/${container}`,
    );

    for (const policy of all(env, 'Microsoft.Web/sites/basicPublishingCredentialsPolicies')) {
      expect(policy.properties.allow, policy.name).toBe(false);
    }
  });

  it('sets every app setting the app reads, identity-based, with no key', () => {
    const settings = appSettings(env);
    const identity = appIdentity(env);
    const clientId = `/userAssignedIdentities/${identity.name}.clientId>`;

    // Timers bind these as %SETTING%; Azure has no defaults for binding expressions.
    for (const [name, fallback] of Object.entries(BINDING_SETTING_DEFAULTS)) {
      expect(settings[name], name).toBe(params[env][name === 'SCORE_RECOMPUTE_SCHEDULE' ? 'scoreRecomputeSchedule' : 'certSyncSchedule'] ?? fallback);
    }
    // Every %SETTING% a registered function binds to (functions/*.ts).
    for (const src of functionSources()) {
      for (const m of src.matchAll(/%([A-Za-z0-9_]+)%/g)) expect(settings, `%${m[1]}%`).toHaveProperty(m[1]!);
      for (const m of src.matchAll(/connection:\s*['"]([^'"]+)['"]/g)) {
        expect(settings, `connection ${m[1]}`).toHaveProperty(`${m[1]}__credential`, 'managedidentity');
      }
    }

    expect(settings).toMatchObject({
      AzureWebJobsStorage__accountName: one(env, 'Microsoft.Storage/storageAccounts').name,
      AzureWebJobsStorage__credential: 'managedidentity',
      FUNCTIONS_NODE_BLOCK_ON_ENTRY_POINT_ERROR: 'true',
      COSMOS_DATABASE: params[env].cosmosDatabaseName ?? 'pcs',
      COSMOS_CREATE_CONTAINERS: 'false',
    });
    for (const name of ['AzureWebJobsStorage__clientId', 'AZURE_CLIENT_ID']) expect(String(settings[name]), name).toContain(clientId);
    for (const svc of ['blob', 'queue', 'table']) {
      expect(String(settings[`AzureWebJobsStorage__${svc}ServiceUri`])).toMatch(new RegExp(`^<runtime:storage/storage\\.primaryEndpoints\\.${svc}>$`));
    }
    expect(String(settings.COSMOS_ENDPOINT)).toMatch(/^<runtime:cosmos\/account\.documentEndpoint>$/);
    expect(settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING).toMatch(new RegExp(`^ClientId=<runtime:.*${clientId.replace(/[.>]/g, '\\$&')};Authorization=AAD$`));
    // The connection string is read from the component, whose local auth is off (its key cannot ingest).
    expect(String(settings.APPLICATIONINSIGHTS_CONNECTION_STRING)).toMatch(/^<runtime:functionApp\/appInsights\.ConnectionString>$/);

    for (const absent of [
      'WEBSITE_TIME_ZONE',
      'FUNCTIONS_WORKER_RUNTIME',
      'FUNCTIONS_EXTENSION_VERSION',
      'WEBSITE_RUN_FROM_PACKAGE',
      'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
      'WEBSITE_CONTENTSHARE',
      'AzureWebJobsStorage',
      'COSMOS_KEY',
      'APPINSIGHTS_INSTRUMENTATIONKEY',
    ]) {
      expect(settings, absent).not.toHaveProperty(absent);
    }
    for (const [name, value] of Object.entries(settings)) {
      expect(String(value), name).not.toMatch(/AccountKey=|SharedAccessKey|SharedAccessSignature|sig=|whsec_|DefaultEndpointsProtocol/i);
    }
  });

  it("passes the app's own settings validation, with every setting it has a default for set explicitly", () => {
    const settings = appSettings(env);
    // Values only Azure knows become URLs of the right shape.
    const concrete = Object.fromEntries(
      Object.entries(settings).map(([k, v]) => [k, String(v).includes('<runtime:') ? 'https://runtime.example/' : String(v)]),
    );
    const parsed = parseSettings(concrete);
    expect(parsed.SCORE_RECOMPUTE_SCHEDULE).toBe(settings.SCORE_RECOMPUTE_SCHEDULE);
    expect(parsed.COSMOS_KEY).toBeUndefined();

    // Keys the app fills with a default when unset: in Azure each is set by infra/ explicitly.
    const defaults = parseSettings({ COSMOS_ENDPOINT: 'https://x.example/', AzureWebJobsStorage__queueServiceUri: 'https://q.example/' });
    for (const key of Object.keys(defaults)) expect(settings, key).toHaveProperty(key);
  });

  it('references a Key Vault secret for each webhook source and lists its partners', () => {
    const settings = appSettings(env);
    const sources = params[env].webhookSources as { name: string; partners: string }[];
    expect(sources.length).toBeGreaterThan(0);
    const vault = one(env, 'Microsoft.KeyVault/vaults').name;
    expect(settings.WEBHOOK_SOURCES).toBe(sources.map((s) => s.name).join(','));
    for (const s of sources) {
      // Bicep cannot run a regex; names limited to [a-z0-9-] make its derivation equal the app's rule.
      expect(s.name).toMatch(/^[a-z0-9-]+$/);
      const suffix = s.name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
      expect(settings[`WEBHOOK_SECRET_${suffix}`]).toBe(`@Microsoft.KeyVault(VaultName=${vault};SecretName=webhook-secret-${s.name})`);
      expect(settings[`WEBHOOK_PARTNERS_${suffix}`]).toBe(s.partners);
    }
    const webhookKeys = Object.keys(settings).filter((k) => /^WEBHOOK_(SECRET|PARTNERS)_/.test(k));
    expect(webhookKeys).toHaveLength(2 * sources.length);
  });

  it('creates every Cosmos container the app uses, with its partition key and TTL', () => {
    const account = one(env, 'Microsoft.DocumentDB/databaseAccounts');
    const db = one(env, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases');
    expect(db.name).toBe(`${account.name}/${params[env].cosmosDatabaseName ?? 'pcs'}`);
    const deployed = all(env, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers').map((c) => {
      const r = c.properties.resource;
      expect(c.name).toBe(`${db.name}/${r.id}`);
      expect(r.partitionKey.paths).toHaveLength(1);
      expect(r.partitionKey.kind).toBe('Hash');
      return { name: r.id, partitionKey: r.partitionKey.paths[0], defaultTtl: r.defaultTtl };
    });
    const expected = ALL_CONTAINERS.map((c) => ({ name: c.name, partitionKey: c.partitionKey, defaultTtl: c.defaultTtl }));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(deployed.sort(byName)).toEqual(expected.sort(byName));
  });

  it('keeps Cosmos DB keyless, serverless or autoscale as chosen, with the data-plane role for the app', () => {
    const account = one(env, 'Microsoft.DocumentDB/databaseAccounts');
    expect(account.properties.disableLocalAuth).toBe(true);
    expect(account.properties.disableKeyBasedMetadataWriteAccess).toBe(true);
    const db = one(env, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases');
    const serverless = (params[env].cosmosCapacityMode ?? 'serverless') === 'serverless';
    expect(account.properties.capabilities).toEqual(serverless ? [{ name: 'EnableServerless' }] : []);
    if (serverless) expect(db.properties.options).toEqual({});
    else expect(db.properties.options).toEqual({ autoscaleSettings: { maxThroughput: params[env].cosmosAutoscaleMaxThroughput ?? 1000 } });
    for (const c of all(env, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers')) {
      expect(c.properties.options, 'containers share the database throughput or are serverless').toBeUndefined();
    }

    const assignments = all(env, 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
    for (const a of assignments) {
      expect(a.properties.roleDefinitionId).toMatch(new RegExp(`/databaseAccounts/${account.name}/sqlRoleDefinitions/${ROLE.cosmosDataContributor}$`));
      expect(a.properties.scope).toMatch(new RegExp(`/databaseAccounts/${account.name}$`));
    }
    expect(assignments.filter((a) => isAppPrincipal(env, a.properties.principalId))).toHaveLength(1);
    const developer = params[env].principalId as string | undefined;
    expect(assignments.filter((a) => a.properties.principalId === developer)).toHaveLength(developer ? 1 : 0);
    expect(assignments).toHaveLength(developer ? 2 : 1);
  });

  it('turns storage shared keys off and grants the app blob, queue and table data roles', () => {
    const storage = one(env, 'Microsoft.Storage/storageAccounts');
    expect(storage.properties).toMatchObject({
      allowSharedKeyAccess: false,
      allowBlobPublicAccess: false,
      minimumTlsVersion: 'TLS1_2',
      supportsHttpsTrafficOnly: true,
      defaultToOAuthAuthentication: true,
    });
    const containers = all(env, 'Microsoft.Storage/storageAccounts/blobServices/containers').map((c) => c.name.split('/').pop());
    // The container the app reads import files from exists.
    expect(containers).toContain(appSettings(env).CERT_IMPORTS_CONTAINER);
    expect(containers).toContain('cert-imports');
    const queues = all(env, 'Microsoft.Storage/storageAccounts/queueServices/queues').map((q) => q.name.split('/').pop());
    expect([...queues].sort()).toEqual([...ALL_QUEUES].sort());

    const onStorage = roleAssignments(env).filter((a) => a.scope?.endsWith(`/storageAccounts/${storage.name}`));
    const appRoles = onStorage.filter((a) => isAppPrincipal(env, a.properties.principalId)).map(roleIdOf);
    expect(appRoles.sort()).toEqual([ROLE.blobDataOwner, ROLE.queueDataContributor, ROLE.tableDataContributor].sort());
    const developer = params[env].principalId as string | undefined;
    const devRoles = onStorage.filter((a) => a.properties.principalId === developer).map(roleIdOf);
    expect(devRoles.sort()).toEqual(developer ? [ROLE.blobDataContributor, ROLE.queueDataContributor].sort() : []);
  });

  it('keeps Key Vault in RBAC mode, the app reading secrets and only the operator writing them', () => {
    const vault = one(env, 'Microsoft.KeyVault/vaults');
    expect(vault.properties.enableRbacAuthorization).toBe(true);
    expect(vault.properties.enableSoftDelete).toBe(true);
    expect(vault.properties.enablePurgeProtection).toBe(params[env].keyVaultPurgeProtection ? true : null);
    const onVault = roleAssignments(env).filter((a) => a.scope?.endsWith(`/vaults/${vault.name}`));
    expect(onVault.filter((a) => isAppPrincipal(env, a.properties.principalId)).map(roleIdOf)).toEqual([ROLE.keyVaultSecretsUser]);
    const developer = params[env].principalId as string | undefined;
    expect(onVault.filter((a) => a.properties.principalId === developer).map(roleIdOf)).toEqual(developer ? [ROLE.keyVaultSecretsOfficer] : []);
  });

  it('sends telemetry with Entra auth only', () => {
    const ai = one(env, 'Microsoft.Insights/components');
    expect(ai.properties.DisableLocalAuth).toBe(true);
    const workspace = one(env, 'Microsoft.OperationalInsights/workspaces');
    expect(ai.properties.WorkspaceResourceId).toMatch(new RegExp(`/workspaces/${workspace.name}$`));
    expect(workspace.properties.features.disableLocalAuth).toBe(true);
    const onAi = roleAssignments(env).filter((a) => a.scope?.endsWith(`/components/${ai.name}`));
    expect(onAi.filter((a) => isAppPrincipal(env, a.properties.principalId)).map(roleIdOf)).toEqual([ROLE.monitoringMetricsPublisher]);
  });

  it('gives every role assignment a unique name and the right principal type', () => {
    const assignments = roleAssignments(env);
    expect(new Set(assignments.map((a) => `${a.scope}|${a.name}`)).size).toBe(assignments.length);
    for (const a of assignments) {
      expect(a.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      if (isAppPrincipal(env, a.properties.principalId)) expect(a.properties.principalType).toBe('ServicePrincipal');
      else expect(a.properties.principalType).toBe(params[env].principalType ?? 'User');
    }
  });

  it('alerts on failed runs, dead letters and the 5xx rate', () => {
    const queries = all(env, 'Microsoft.Insights/scheduledQueryRules');
    const ai = one(env, 'Microsoft.Insights/components');
    const failed = queries.find((q) => q.name.endsWith('-failed-runs'));
    const rate = queries.find((q) => q.name.endsWith('-http-5xx-rate'));
    expect(failed?.properties.criteria.allOf[0].query).toMatch(/success == false/);
    expect(rate?.properties.criteria.allOf[0].query).toMatch(/resultCode\) >= 500/);
    for (const q of [failed!, rate!]) {
      expect(q.properties.scopes).toEqual([expect.stringMatching(new RegExp(`/components/${ai.name}$`))]);
      expect(q.properties.enabled).toBe(true);
    }
    const dead = one(env, 'Microsoft.Insights/metricAlerts');
    const criterion = dead.properties.criteria.allOf[0];
    expect(criterion.metricName).toBe('DocumentCount');
    expect(criterion.dimensions).toContainEqual({ name: 'CollectionName', operator: 'Include', values: [CONTAINERS.deadletters.name] });
    expect(dead.properties.scopes).toEqual([expect.stringMatching(new RegExp(`/databaseAccounts/${one(env, 'Microsoft.DocumentDB/databaseAccounts').name}$`))]);

    const groups = all(env, 'Microsoft.Insights/actionGroups');
    const email = params[env].alertEmail as string | undefined;
    expect(groups).toHaveLength(email ? 1 : 0);
    const wired = [...queries.map((q) => q.properties.actions.actionGroups), dead.properties.actions.map((a: Json) => a.actionGroupId)];
    for (const ids of wired) expect(ids).toHaveLength(email ? 1 : 0);
  });

  it('runs every log alert over columns the Application Insights tables have, measuring and splitting by what the query returns', () => {
    const rules = all(env, 'Microsoft.Insights/scheduledQueryRules');
    expect(rules.length).toBeGreaterThan(0);
    const ai = one(env, 'Microsoft.Insights/components');
    for (const rule of rules) {
      // Scoped to the Application Insights resource, a query sees the classic tables (requests, not AppRequests).
      expect(rule.properties.scopes, rule.name).toEqual([expect.stringMatching(new RegExp(`/components/${ai.name}$`))]);
      for (const criterion of rule.properties.criteria.allOf as Json[]) {
        const checked = checkQuery(criterion.query, APP_INSIGHTS_COLUMNS);
        expect(checked.problems, `${rule.name}: ${criterion.query}`).toEqual([]);
        if (criterion.metricMeasureColumn) expect(checked.output, `${rule.name} measures ${criterion.metricMeasureColumn}`).toContain(criterion.metricMeasureColumn);
        for (const dimension of (criterion.dimensions ?? []) as Json[]) expect(checked.output, `${rule.name} splits by ${dimension.name}`).toContain(dimension.name);
      }
    }
  });

  it('outputs names and endpoints only', () => {
    const outputs = deployments[env].outputs;
    expect(outputs).toMatchObject({
      AZURE_RESOURCE_GROUP: one(env, 'Microsoft.Resources/resourceGroups').name,
      AZURE_FUNCTION_APP_NAME: one(env, 'Microsoft.Web/sites').name,
      COSMOS_DATABASE: params[env].cosmosDatabaseName ?? 'pcs',
      AZURE_KEY_VAULT_NAME: one(env, 'Microsoft.KeyVault/vaults').name,
    });
    for (const [name, value] of Object.entries(outputs)) {
      expect(String(value), name).not.toMatch(/ConnectionString|InstrumentationKey|AccountKey|Key=|whsec_/i);
    }
  });
});

describe('notification secret', () => {
  const settingsOf = (d: Deployment): Record<string, Json> =>
    d.resources.find((r) => r.type === 'Microsoft.Web/sites/config' && r.name.endsWith('/appsettings'))!.properties as Record<string, Json>;

  it('is left unset unless notificationsEnabled, since an unresolved reference would stop the app', () => {
    for (const env of ENVIRONMENTS) {
      expect(params[env].notificationsEnabled ?? false, env).toBe(false);
      expect(appSettings(env), env).not.toHaveProperty('NOTIFICATION_SECRET');
    }
  });

  it('is a Key Vault reference to notification-secret with notificationsEnabled, valid once resolved', () => {
    const settings = settingsOf(evaluate(mainTemplate, { ...params.dev, notificationsEnabled: true }));
    const vault = one('dev', 'Microsoft.KeyVault/vaults').name;
    expect(settings.NOTIFICATION_SECRET).toBe(`@Microsoft.KeyVault(VaultName=${vault};SecretName=notification-secret)`);
    const concrete = Object.fromEntries(
      Object.entries(settings).map(([k, v]) => [k, String(v).includes('<runtime:') ? 'https://runtime.example/' : String(v)]),
    );
    // Unresolved, App Service passes the reference text through, and the app refuses to start.
    expect(() => parseSettings(concrete)).toThrow(/NOTIFICATION_SECRET/);
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(parseSettings({ ...concrete, NOTIFICATION_SECRET: secret }).NOTIFICATION_SECRET).toBe(secret);
  });
});

describe('environments differ where they should', () => {
  it('production is provisioned, zone-redundant, always ready, purge-protected, with no developer access', () => {
    expect(params.prod.cosmosCapacityMode).toBe('provisioned');
    expect(one('prod', 'Microsoft.Storage/storageAccounts').sku.name).toBe('Standard_ZRS');
    expect(params.prod.alwaysReadyHttpInstances).toBeGreaterThan(0);
    expect(one('prod', 'Microsoft.KeyVault/vaults').properties.enablePurgeProtection).toBe(true);
    expect(params.prod.principalId).toBe('');
  });

  it('each environment gets its own resource names', () => {
    const names = ENVIRONMENTS.map((env) => one(env, 'Microsoft.Storage/storageAccounts').name);
    expect(new Set(names).size).toBe(ENVIRONMENTS.length);
  });
});
