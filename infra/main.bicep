// The partner capability score service in one resource group: a Function App on Flex Consumption,
// Cosmos DB, storage, Key Vault and monitoring, all reached by one user-assigned identity with no keys.
// Deployed by `azd up` (infra/main.parameters.json) or `az deployment sub create` (infra/env/*.bicepparam).

targetScope = 'subscription'

import { webhookSource } from 'types.bicep'

@description('Environment name (dev, test, prod, or an azd environment); part of every name and the azd-env-name tag.')
@minLength(1)
@maxLength(32)
param environmentName string

@description('Azure region of every resource.')
@minLength(1)
param location string

@description('Resource group to create; defaults to rg-<environmentName>.')
param resourceGroupName string = ''

@description('Tags added to every resource, beside azd-env-name.')
param tags object = {}

@description('Object id of a developer, group or pipeline that gets data access (Cosmos, blobs, queues) and Key Vault Secrets Officer, for local runs against Azure and for setting webhook secrets. Empty for none (production).')
param principalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

// Function App (Flex Consumption)

// Node 20 reached end of life in April 2026: deploy on 22 (the default) or 24. The code and tests also run on
// Node 20, which is what the project machines have (package.json engines ">=20").
@allowed([
  '22'
  '24'
])
param nodeVersion string = '22'

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready instances for HTTP functions (the webhook endpoint): removes cold starts, billed while idle. 0 for none.')
@minValue(0)
@maxValue(10)
param alwaysReadyHttpInstances int = 0

// Cosmos DB

@allowed([
  'serverless'
  'provisioned'
])
@description('serverless is billed per request; provisioned is autoscale throughput shared by the database. An existing account cannot be switched in place.')
param cosmosCapacityMode string = 'serverless'

@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Read by the app as COSMOS_DATABASE.')
param cosmosDatabaseName string = 'pcs'

// Storage, Key Vault, monitoring

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Purge protection cannot be turned off once on: on for production.')
param keyVaultPurgeProtection bool = false

@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('E-mail address that receives alerts; empty for alerts without notification.')
param alertEmail string = ''

@minValue(1)
@maxValue(100)
param http5xxPercentThreshold int = 5

// App settings (shared/config/settings.ts)

@description('Webhook sources; each has WEBHOOK_SECRET_<NAME> (a Key Vault reference to secret webhook-secret-<name>) and WEBHOOK_PARTNERS_<NAME>.')
param webhookSources webhookSource[] = []

@description('Partners whose /api/partner-center/{partnerId}/events route takes Partner Center webhooks; each gets its path excluded from sign-in (docs/partner-center.md).')
param partnerCenterPartnerIds string[] = []

@description('Tenant and client id of the app registration that reads Partner Center app-only. With a client id, PARTNER_CENTER_CLIENT_SECRET is a Key Vault reference to secret partner-center-client-secret: create it first.')
param partnerCenterTenantId string = ''
param partnerCenterClientId string = ''

@description('The partner whose Partner Center account that app registration reads: its customer list is pulled nightly and reconciled with its CSP associations. Empty: no pull.')
param partnerCenterPullPartnerId string = ''

@description('NCRONTAB with 6 fields, in UTC, of the Partner Center pull.')
param partnerCenterPullSchedule string = '0 0 3 * * *'

@description('NCRONTAB with 6 fields, in UTC (Flex has no WEBSITE_TIME_ZONE).')
param scoreRecomputeSchedule string = '0 0 2 * * *'

@description('NCRONTAB with 6 fields, in UTC (Flex has no WEBSITE_TIME_ZONE).')
param certSyncSchedule string = '0 30 1 * * *'

@minValue(1)
param webhookToleranceSeconds int = 300

@description('How far an event\'s occurredAt may be ahead of the server clock, in seconds (EVENT_FUTURE_TOLERANCE_SECONDS).')
@minValue(1)
param eventFutureToleranceSeconds int = 86400

@description('Largest seat or user count a telemetry report may carry (MAX_SEAT_COUNT).')
@minValue(1)
param maxSeatCount int = 10000000

@minValue(0)
param recomputeCoalesceSeconds int = 1

param learnBaseUrl string = 'https://learn.microsoft.com'

@minValue(1)
param certSyncConcurrency int = 8

@minValue(1)
param certSyncTimeoutMs int = 10000

@minValue(1)
param certSyncMaxAttempts int = 4

@minValue(1)
param certSyncBackoffMs int = 1000

@allowed([
  'gt0'
  'gte1'
])
param qualifyMetricTest string = 'gt0'

@description('Which associations decide the year-ago side of net customer adds and growth baselines: those in place in that month (in-effect-then) or those in place today (evaluation-date, the reading before issue 14).')
@allowed([
  'in-effect-then'
  'evaluation-date'
])
param yearAgoAssociations string = 'in-effect-then'

@description('Sends alert notifications to partners, signed with NOTIFICATION_SECRET: a Key Vault reference to secret notification-secret. Create that secret first (docs/deploy.md): an unresolved reference leaves its own text in the setting, which the app rejects at start-up. false leaves NOTIFICATION_SECRET unset: alerts are stored but not sent.')
param notificationsEnabled bool = false

@description('Attempts per alert notification, the first included, before it is dead-lettered.')
@minValue(1)
param notificationMaxAttempts int = 8

@description('First retry delay of a failed notification; doubles on each attempt.')
@minValue(1)
param notificationRetryBaseSeconds int = 30

param appVersion string = ''

// Sign-in (docs/security.md)

@description('Application (client) id of the Microsoft Entra app registration that callers get tokens for (docs/security.md). Empty: no app registration, so authentication is off unless enableAuthentication says otherwise.')
param entraClientId string = ''

@description('Tenant of the app registration, which issues the tokens.')
param entraTenantId string = tenant().tenantId

@description('App Service Authentication (Easy Auth) with Entra ID in front of the Function App; on whenever entraClientId is given. Off, no caller has a principal, so the app answers 401 to every API call but health and the signed webhooks (it fails closed).')
param enableAuthentication bool = !empty(entraClientId)

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName })

// The single list of the app's Cosmos containers is shared/store/containers.ts; test/infra fails
// when this copy differs from it (name, partition key, TTL).
var cosmosContainers = [
  // TTL on with no default expiry: day-level score documents carry their own ttl; state documents never expire.
  { name: 'partners', partitionKey: '/partnerId', defaultTtl: -1 }
  { name: 'receipts', partitionKey: '/id', defaultTtl: 604800 }
  { name: 'runs', partitionKey: '/id' }
  { name: 'deadletters', partitionKey: '/id', defaultTtl: 2592000 }
  { name: 'access', partitionKey: '/id' }
  { name: 'audit', partitionKey: '/scope', defaultTtl: 34560000 }
]

// shared/queues/names.ts, checked the same way.
var queueNames = [
  'webhook-events'
  'score-recompute'
  'score-recompute-run'
  'cert-sync'
  'cert-sync-run'
  'partner-imports'
  'partner-notifications'
  'partner-center-events'
  'partner-center-pull'
]

// Names are computed here, from values known before deployment, so that What-If can predict the
// role assignment names and resource references that depend on them.
var identityName = '${abbrs.managedIdentities}api-${resourceToken}'
var appInsightsName = '${abbrs.appInsights}${resourceToken}'

var deploymentContainerName = 'deployment-package'
var certImportContainerName = 'cert-imports'
var importsContainerName = 'imports'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourceGroups}${environmentName}'
  location: location
  tags: allTags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  params: {
    name: identityName
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.logAnalyticsWorkspaces}${resourceToken}'
    appInsightsName: appInsightsName
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
    appPrincipalId: identity.outputs.principalId
    appIdentityName: identityName
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: '${abbrs.storageAccounts}${resourceToken}'
    location: location
    tags: allTags
    skuName: storageSku
    deploymentContainerName: deploymentContainerName
    appBlobContainerNames: [certImportContainerName, importsContainerName]
    queueNames: queueNames
    appPrincipalId: identity.outputs.principalId
    appIdentityName: identityName
    developerPrincipalId: principalId
    developerPrincipalType: principalType
  }
}

module cosmos 'modules/cosmos.bicep' = {
  scope: rg
  params: {
    accountName: '${abbrs.cosmosAccounts}${resourceToken}'
    location: location
    tags: allTags
    databaseName: cosmosDatabaseName
    containers: cosmosContainers
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    appPrincipalId: identity.outputs.principalId
    appIdentityName: identityName
    developerPrincipalId: principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: rg
  params: {
    name: '${abbrs.keyVaults}${resourceToken}'
    location: location
    tags: allTags
    enablePurgeProtection: keyVaultPurgeProtection
    appPrincipalId: identity.outputs.principalId
    appIdentityName: identityName
    operatorPrincipalId: principalId
    operatorPrincipalType: principalType
  }
}

module functionApp 'modules/function-app.bicep' = {
  scope: rg
  // The app reads the Application Insights connection string by name, which makes no implicit dependency.
  dependsOn: [monitoring]
  params: {
    planName: '${abbrs.serverFarms}${resourceToken}'
    appName: '${abbrs.functionApps}api-${resourceToken}'
    location: location
    tags: allTags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    certImportsContainerName: certImportContainerName
    importsContainerName: importsContainerName
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    keyVaultName: keyVault.outputs.name
    appInsightsName: appInsightsName
    nodeVersion: nodeVersion
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    webhookSources: webhookSources
    partnerCenterPartnerIds: partnerCenterPartnerIds
    partnerCenterTenantId: partnerCenterTenantId
    partnerCenterClientId: partnerCenterClientId
    partnerCenterPullPartnerId: partnerCenterPullPartnerId
    partnerCenterPullSchedule: partnerCenterPullSchedule
    notificationsEnabled: notificationsEnabled
    authentication: {
      enabled: enableAuthentication
      // A deployment that asks for sign-in without saying whose tokens to accept stops here, before any resource.
      clientId: enableAuthentication && empty(entraClientId)
        ? fail('enableAuthentication needs entraClientId, the app registration\'s client id (docs/security.md)')
        : entraClientId
      tenantId: entraTenantId
    }
    config: {
      scoreRecomputeSchedule: scoreRecomputeSchedule
      certSyncSchedule: certSyncSchedule
      webhookToleranceSeconds: webhookToleranceSeconds
      eventFutureToleranceSeconds: eventFutureToleranceSeconds
      maxSeatCount: maxSeatCount
      recomputeCoalesceSeconds: recomputeCoalesceSeconds
      learnBaseUrl: learnBaseUrl
      certSyncConcurrency: certSyncConcurrency
      certSyncTimeoutMs: certSyncTimeoutMs
      certSyncMaxAttempts: certSyncMaxAttempts
      certSyncBackoffMs: certSyncBackoffMs
      qualifyMetricTest: qualifyMetricTest
      yearAgoAssociations: yearAgoAssociations
      notificationMaxAttempts: notificationMaxAttempts
      notificationRetryBaseSeconds: notificationRetryBaseSeconds
      appVersion: appVersion
    }
  }
}

module alerts 'modules/alerts.bicep' = {
  scope: rg
  params: {
    namePrefix: '${abbrs.alertRules}${resourceToken}'
    location: location
    tags: allTags
    appInsightsId: monitoring.outputs.appInsightsId
    cosmosAccountId: cosmos.outputs.id
    cosmosDatabaseName: cosmos.outputs.databaseName
    deadLetterContainerName: 'deadletters'
    alertEmail: alertEmail
    http5xxPercentThreshold: http5xxPercentThreshold
  }
}

// Names and endpoints only: nothing here grants access. azd stores these in .azure/<env>/.env.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CLIENT_ID string = identity.outputs.clientId
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = 'https://${functionApp.outputs.defaultHostName}'
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output COSMOS_DATABASE string = cosmos.outputs.databaseName
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AzureWebJobsStorage__blobServiceUri string = storage.outputs.blobEndpoint
output AzureWebJobsStorage__queueServiceUri string = storage.outputs.queueEndpoint
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
// The source names (no secret): the postprovision hook (infra/hooks/) creates each one's missing Key Vault secret.
output WEBHOOK_SOURCES string = join(map(webhookSources, s => s.name), ',')
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName
output AUTHENTICATION_ENABLED bool = enableAuthentication
// Callers ask for tokens with the scope api://<ENTRA_CLIENT_ID>/.default (docs/security.md).
output ENTRA_CLIENT_ID string = entraClientId
