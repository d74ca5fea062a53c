// A developer's own environment: cheapest settings, and the developer gets data access for local runs.
// AZURE_PRINCIPAL_ID=$(az ad signed-in-user show --query id -o tsv) az deployment sub create -l <region> -p infra/env/dev.bicepparam
using '../main.bicep'

param environmentName = 'pcs-dev'
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param principalType = 'User'
param tags = {
  product: 'pcs-tracker'
  environment: 'dev'
}
param cosmosCapacityMode = 'serverless'
param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param alwaysReadyHttpInstances = 0
param webhookSources = [
  { name: 'crm', partners: '*' }
]
// Sign-in: with ENTRA_CLIENT_ID (the app registration's client id, docs/security.md) Easy Auth is on; without
// it, off, and the app answers 401 to every API call but health and the signed webhooks.
param entraClientId = readEnvironmentVariable('ENTRA_CLIENT_ID', '')
