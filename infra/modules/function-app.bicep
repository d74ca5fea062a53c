// The Function App on Flex Consumption (FC1). Every connection is identity-based through the
// user-assigned identity; no setting carries a key. Flex reads the runtime from functionAppConfig, so
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE and WEBSITE_TIME_ZONE
// are not set (Flex rejects or ignores them; timers run in UTC).

import { appConfig, entraAuthentication, webhookSource } from '../types.bicep'

param planName string
param appName string
param location string
param tags object

@description('azd finds the app to deploy to by this tag value.')
param serviceName string

@description('Resource id of the user-assigned identity.')
param identityId string
param identityClientId string

param storageAccountName string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainerName string

@description('Blob container of certification import files.')
param certImportsContainerName string

@description('Blob container of spreadsheet files imported in the background.')
param importsContainerName string

param cosmosEndpoint string
param cosmosDatabaseName string

param keyVaultName string
param appInsightsName string

@allowed([
  '22'
  '24'
])
param nodeVersion string

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances for the HTTP group (the webhook endpoint); 0 for none, which costs nothing while idle.')
@minValue(0)
param alwaysReadyHttpInstances int

param webhookSources webhookSource[]

@description('Partners whose /api/partner-center/{partnerId}/events route takes Partner Center webhooks (docs/partner-center.md).')
param partnerCenterPartnerIds string[]

@description('The app registration that reads Partner Center app-only; empty leaves the queue step without credentials. Its secret is the Key Vault secret partner-center-client-secret, which must exist first.')
param partnerCenterTenantId string
param partnerCenterClientId string

@description('The partner whose Partner Center customer list is pulled nightly (docs/partner-center.md); empty for none.')
param partnerCenterPullPartnerId string

@description('NCRONTAB (6 fields, UTC) of the Partner Center pull.')
param partnerCenterPullSchedule string

@description('Sets NOTIFICATION_SECRET to a Key Vault reference to secret notification-secret, which must exist first.')
param notificationsEnabled bool

param config appConfig

param authentication entraAuthentication

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    // Key Vault references in app settings resolve with this identity, not a system-assigned one.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyHttpInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyHttpInstances }] : []
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
  }
}

// Deployment goes through Entra ID (azd and `az functionapp deployment` both do), so basic
// publishing credentials only widen the attack surface.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

var hostStorageSettings = {
  // Read by the Functions host (triggers, timers' leases, diagnostic events) and by the app's own
  // queue and blob clients (shared/config/settings.ts).
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: queueEndpoint
  AzureWebJobsStorage__tableServiceUri: tableEndpoint
}

var platformSettings = {
  // A module that throws while loading otherwise leaves a host with 0 functions and no error.
  FUNCTIONS_NODE_BLOCK_ON_ENTRY_POINT_ERROR: 'true'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // DefaultAzureCredential in the app picks the user-assigned identity by this.
  AZURE_CLIENT_ID: identityClientId
}

var appSettings = {
  COSMOS_ENDPOINT: cosmosEndpoint
  COSMOS_DATABASE: cosmosDatabaseName
  // In Azure the containers come from Bicep; the identity could not create them anyway.
  COSMOS_CREATE_CONTAINERS: 'false'
  SCORE_RECOMPUTE_SCHEDULE: config.scoreRecomputeSchedule
  CERT_SYNC_SCHEDULE: config.certSyncSchedule
  WEBHOOK_SOURCES: join(map(webhookSources, s => s.name), ',')
  WEBHOOK_TOLERANCE_SECONDS: string(config.webhookToleranceSeconds)
  EVENT_FUTURE_TOLERANCE_SECONDS: string(config.eventFutureToleranceSeconds)
  MAX_SEAT_COUNT: string(config.maxSeatCount)
  RECOMPUTE_COALESCE_SECONDS: string(config.recomputeCoalesceSeconds)
  LEARN_BASE_URL: config.learnBaseUrl
  CERT_SYNC_CONCURRENCY: string(config.certSyncConcurrency)
  CERT_SYNC_TIMEOUT_MS: string(config.certSyncTimeoutMs)
  CERT_SYNC_MAX_ATTEMPTS: string(config.certSyncMaxAttempts)
  CERT_SYNC_BACKOFF_MS: string(config.certSyncBackoffMs)
  CERT_IMPORTS_CONTAINER: certImportsContainerName
  IMPORTS_CONTAINER: importsContainerName
  // Spreadsheet imports (docs/imports.md): Flex Consumption takes requests up to 210 MB; 50 MiB files, 200,000 rows.
  IMPORT_MAX_BYTES: '52428800'
  IMPORT_MAX_ROWS: '200000'
  IMPORT_INLINE_MAX_ROWS: '2000'
  IMPORT_CHUNK_ROWS: '5000'
  QUALIFY_METRIC_TEST: config.qualifyMetricTest
  YEAR_AGO_ASSOCIATIONS: config.yearAgoAssociations
  NOTIFICATION_MAX_ATTEMPTS: string(config.notificationMaxAttempts)
  NOTIFICATION_RETRY_BASE_SECONDS: string(config.notificationRetryBaseSeconds)
  APP_VERSION: config.appVersion
  PARTNER_CENTER_PARTNER_IDS: join(partnerCenterPartnerIds, ',')
  // Microsoft's documented certificate host and API (docs/partner-center.md); the reads' retry budget.
  // Microsoft's own storage account for the signing certificate, the same whichever cloud this app runs in.
  #disable-next-line no-hardcoded-env-urls
  PARTNER_CENTER_CERT_URL_PREFIXES: 'https://3psostorageacct.blob.core.windows.net/cert/'
  PARTNER_CENTER_CERT_ORGANIZATION: 'Microsoft Corporation'
  PARTNER_CENTER_API_BASE_URL: 'https://api.partnercenter.microsoft.com'
  PARTNER_CENTER_FETCH_ATTEMPTS: '4'
  PARTNER_CENTER_BACKOFF_MS: '500'
  PARTNER_CENTER_TIMEOUT_MS: '10000'
  PARTNER_CENTER_PULL_PARTNER_ID: partnerCenterPullPartnerId
  PARTNER_CENTER_PULL_SCHEDULE: partnerCenterPullSchedule
  PARTNER_CENTER_PULL_PAGE_SIZE: '500'
}

// Per source: WEBHOOK_SECRET_<NAME> is a Key Vault reference without a version, so a new secret
// version is picked up without a deployment (see docs/deploy.md, rotation).
var webhookSecretSettings = toObject(
  webhookSources,
  s => 'WEBHOOK_SECRET_${toUpper(replace(s.name, '-', '_'))}',
  s => '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=webhook-secret-${s.name})'
)

var webhookPartnerSettings = toObject(
  webhookSources,
  s => 'WEBHOOK_PARTNERS_${toUpper(replace(s.name, '-', '_'))}',
  s => s.partners
)

// Only once notifications are enabled: a reference to a secret that does not exist yet stays unresolved,
// its own text is then the setting's value, and the app's settings validation (whsec_...) fails at
// start-up, for every function. Unset, the app stores alerts without sending them.
var notificationSettings = notificationsEnabled
  ? { NOTIFICATION_SECRET: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=notification-secret)' }
  : {}

// The client secret stays in Key Vault: the setting is a reference without a version, so a rotated secret is
// picked up without a deployment. Only with a client id: an unresolved reference would be a wrong secret.
var partnerCenterSettings = empty(partnerCenterClientId)
  ? {}
  : {
      PARTNER_CENTER_TENANT_ID: partnerCenterTenantId
      PARTNER_CENTER_CLIENT_ID: partnerCenterClientId
      PARTNER_CENTER_CLIENT_SECRET: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=partner-center-client-secret)'
    }

resource settings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: union(
    hostStorageSettings,
    platformSettings,
    appSettings,
    webhookSecretSettings,
    webhookPartnerSettings,
    notificationSettings,
    partnerCenterSettings
  )
}

// Sign-in: App Service Authentication (Easy Auth v2) validates the caller's Entra token before the host sees the
// request, and passes the caller on in x-ms-client-principal; the app authorises each route from it
// (shared/access). Only the bearer-token flow is used: no client secret, no token store, no login redirect.
//
// Easy Auth matches an excluded path exactly, or by prefix when it ends in /* (the only wildcard it has; no
// wildcard inside a path). So each webhook source's receive route is listed by its name, exactly: the routes
// under it (GET /api/webhooks/{source}/deliveries/{id}) still need a token. Anything spelled differently
// (another case, a trailing slash) is not excluded and is answered 401: the mismatch fails closed.
var routePrefix = '/api'
var anonymousPaths = concat(
  // Signature-authenticated (shared/webhooks): the sender has a webhook secret, not an Entra identity.
  map(webhookSources, s => '${routePrefix}/webhooks/${s.name}'),
  // Signature-authenticated by Microsoft's certificate (shared/partner-center), one exact path per partner.
  map(partnerCenterPartnerIds, p => '${routePrefix}/partner-center/${p}/events'),
  // Liveness for probes and monitors; it says nothing about any partner.
  ['${routePrefix}/health'],
  // The Functions admin API checks the host's master key itself: the break-glass path that still works when
  // sign-in does not (an expired app registration, a broken tenant setting).
  ['/admin/*']
)

resource authSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'authsettingsV2'
  // Two configuration writes to one site at once can fail with a conflict; one after the other they do not.
  dependsOn: [settings]
  properties: {
    // Deployed off as well as on, so that turning it off is a deployment too, not a leftover of an earlier one.
    platform: {
      enabled: authentication.enabled
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: anonymousPaths
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
    login: {
      // Callers send their own bearer token on every request; nothing is kept for them.
      tokenStore: {
        enabled: false
      }
    }
    // With authentication off there is no app registration to name (and nothing is validated).
    identityProviders: authentication.enabled
      ? {
          azureActiveDirectory: {
            enabled: true
            registration: {
              clientId: authentication.clientId
              openIdIssuer: '${environment().authentication.loginEndpoint}${authentication.tenantId}/v2.0'
            }
            validation: {
              // v1 access tokens carry the application id URI, v2 tokens the client id.
              allowedAudiences: [
                'api://${authentication.clientId}'
                authentication.clientId
              ]
            }
          }
        }
      : {}
  }
}

output id string = app.id
output name string = app.name
output defaultHostName string = app.properties.defaultHostName
