// Types shared by main.bicep and its modules.

@export()
@description('A webhook source. Its name is the {source} of POST /api/webhooks/{source}.')
@sealed()
type webhookSource = {
  @description('Lower-case letters, digits and hyphens only, so that the app setting suffix (upper-cased, non-alphanumerics as _) and the Key Vault secret name can both be derived from it.')
  @minLength(1)
  @maxLength(60)
  name: string

  @description('Comma-separated partner ids this source may submit events for, or * for any partner.')
  @minLength(1)
  partners: string
}

@export()
@description('Settings the app reads that are not connection details; see shared/config/settings.ts.')
@sealed()
type appConfig = {
  @description('NCRONTAB (6 fields, UTC) of the nightly recompute timer.')
  scoreRecomputeSchedule: string
  @description('NCRONTAB (6 fields, UTC) of the certification sync timer.')
  certSyncSchedule: string
  @minValue(1)
  webhookToleranceSeconds: int
  @minValue(1)
  eventFutureToleranceSeconds: int
  @minValue(1)
  maxSeatCount: int
  @minValue(0)
  recomputeCoalesceSeconds: int
  learnBaseUrl: string
  @minValue(1)
  certSyncConcurrency: int
  @minValue(1)
  certSyncTimeoutMs: int
  @description('Attempts per source request, the first included.')
  @minValue(1)
  certSyncMaxAttempts: int
  @description('First backoff between attempts; doubles on each retry.')
  @minValue(1)
  certSyncBackoffMs: int
  qualifyMetricTest: 'gt0' | 'gte1'
  yearAgoAssociations: 'in-effect-then' | 'evaluation-date'
  @description('Attempts per alert notification, the first included.')
  @minValue(1)
  notificationMaxAttempts: int
  @description('First retry delay of a failed notification; doubles on each attempt.')
  @minValue(1)
  notificationRetryBaseSeconds: int
  @description('Shown by the app in its responses and logs; empty to leave unset.')
  appVersion: string
}

@export()
@description('App Service Authentication (Easy Auth) with Microsoft Entra ID in front of the Function App (docs/security.md).')
@sealed()
type entraAuthentication = {
  @description('Easy Auth on: every request but the excluded paths needs an Entra token for the app registration.')
  enabled: bool
  @description('Application (client) id of the app registration callers get tokens for; empty only when enabled is false.')
  clientId: string
  @description('Tenant that issues the tokens.')
  tenantId: string
}
