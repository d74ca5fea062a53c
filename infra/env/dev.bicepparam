// A developer's own environment: cheapest settings, and the developer gets data access for local runs.
// az deployment sub create -l <region> -f infra/main.bicep -p infra/env/dev.bicepparam -p principalId=<your object id>
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
