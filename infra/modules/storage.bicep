// The storage account of the Functions host and the app: host state (blobs, diagnostic-event tables),
// the app's queues, the deployment package and certification import files. Shared keys are off, so
// every caller, the Flex deployment included, authenticates with Entra ID.

param name string
param location string
param tags object

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Blob containers the app itself reads and writes.')
param appBlobContainerNames string[]

@description('Storage queues the app uses (their poison twins are created by the Functions host on demand).')
param queueNames string[]

@description('Principal id of the app identity.')
param appPrincipalId string

@description('Name of the app identity: seeds the role assignment names, which must be known before deployment.')
param appIdentityName string

@description('Optional developer or group object id that gets data access for local runs against Azure; empty for none.')
param developerPrincipalId string

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param developerPrincipalType string

resource storage 'Microsoft.Storage/storageAccounts@2025-08-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-08-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-08-01' = [
  for containerName in concat([deploymentContainerName], appBlobContainerNames): {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-08-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-08-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

// Built-in roles, by id. Blob Data Owner (not Contributor) is what the Functions host needs for its
// own blobs; Queue Data Contributor lets queue triggers read and delete messages, the app enqueue and
// create queues (createIfNotExists), and the host create the -poison queues; Table Data Contributor
// is for the host's diagnostic events table.
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

var appRoles = [
  roles.blobDataOwner
  roles.queueDataContributor
  roles.tableDataContributor
]

// A developer running the app locally against Azure reads and writes the app's data, not the host's.
var developerRoles = empty(developerPrincipalId)
  ? []
  : [
      roles.blobDataContributor
      roles.queueDataContributor
    ]

resource appAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in appRoles: {
    name: guid(storage.id, appIdentityName, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource developerAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in developerRoles: {
    name: guid(storage.id, developerPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: developerPrincipalId
      principalType: developerPrincipalType
    }
  }
]

output id string = storage.id
output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
