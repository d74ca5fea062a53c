// The one identity the app uses for everything: storage, Cosmos DB, Application Insights, Key Vault.
// User-assigned rather than system-assigned so that role assignments exist before the app starts
// and survive the app being recreated.

@description('Name of the user-assigned managed identity.')
param name string

param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
