// Shared test environment: like production in shape, smaller and without purge protection.
using '../main.bicep'

param environmentName = 'pcs-test'
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
// The pipeline (or a test group) that sets webhook secrets and runs tests against Azure.
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param principalType = 'ServicePrincipal'
param tags = {
  product: 'pcs-tracker'
  environment: 'test'
}
param cosmosCapacityMode = 'serverless'
param maximumInstanceCount = 40
param alwaysReadyHttpInstances = 0
param alertEmail = readEnvironmentVariable('ALERT_EMAIL', '')
param webhookSources = [
  { name: 'crm', partners: '*' }
  { name: 'partner-center', partners: '*' }
]
// Sign-in is required: a deployment without ENTRA_CLIENT_ID (the app registration's client id,
// docs/security.md) stops with that message instead of deploying with sign-in off.
param entraClientId = readEnvironmentVariable('ENTRA_CLIENT_ID', '')
param enableAuthentication = true
