// Production: provisioned autoscale Cosmos DB, zone-redundant storage, an always-ready instance for the
// webhook endpoint, purge protection, longer log retention, no developer data access.
using '../main.bicep'

param environmentName = 'pcs-prod'
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
param principalId = ''
param tags = {
  product: 'pcs-tracker'
  environment: 'prod'
}
param cosmosCapacityMode = 'provisioned'
param cosmosAutoscaleMaxThroughput = 4000
param storageSku = 'Standard_ZRS'
param keyVaultPurgeProtection = true
param logRetentionInDays = 90
param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param alwaysReadyHttpInstances = 1
param alertEmail = readEnvironmentVariable('ALERT_EMAIL', '')
param webhookSources = [
  { name: 'crm', partners: '*' }
  { name: 'partner-center', partners: '*' }
]
// Sign-in is required: a deployment without ENTRA_CLIENT_ID (the app registration's client id,
// docs/security.md) stops with that message instead of deploying with sign-in off.
param entraClientId = readEnvironmentVariable('ENTRA_CLIENT_ID', '')
param enableAuthentication = true
