// Cosmos DB (NoSQL) with keys disabled. The database and every container are created here: the app's
// identity has data-plane rights only, and data-plane RBAC cannot create databases or containers.

@description('A container the app uses; the list must match shared/store/containers.ts (test/infra checks it).')
type containerSpec = {
  name: string
  @description('Partition key path, e.g. /partnerId.')
  partitionKey: string
  @description('Seconds; -1 turns TTL on with no default expiry; leave out to keep TTL off.')
  defaultTtl: int?
}

param accountName string
param location string
param tags object
param databaseName string
param containers containerSpec[]

@description('serverless: pay per request (the default). provisioned: autoscale throughput shared by the database.')
@allowed([
  'serverless'
  'provisioned'
])
param capacityMode string

@description('Autoscale maximum RU/s of the database when capacityMode is provisioned.')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Principal id of the app identity.')
param appPrincipalId string

@description('Name of the app identity: seeds the role assignment names, which must be known before deployment.')
param appIdentityName string

@description('Optional developer or group object id that gets data access for local runs against Azure; empty for none.')
param developerPrincipalId string

var serverless = capacityMode == 'serverless'

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-10-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    // Keys are off for data; this also stops metadata writes (databases, containers) outside ARM.
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    enableAutomaticFailover: false
    enableFreeTier: false
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-10-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    // Serverless accounts reject throughput settings; provisioned shares autoscale RU/s across containers.
    options: serverless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-10-15' = [
  for c in containers: {
    parent: database
    name: c.name
    properties: {
      resource: union(
        {
          id: c.name
          partitionKey: {
            paths: [c.partitionKey]
            kind: 'Hash'
            version: 2
          }
        },
        c.?defaultTtl == null ? {} : { defaultTtl: c.?defaultTtl }
      )
    }
  }
]

// Cosmos DB Built-in Data Contributor: read and write items, no control plane.
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'
var dataContributor = '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'

resource appData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-10-15' = {
  parent: account
  name: guid(account.id, appIdentityName, dataContributorRoleId)
  properties: {
    roleDefinitionId: dataContributor
    principalId: appPrincipalId
    scope: account.id
  }
}

resource developerData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-10-15' = if (!empty(developerPrincipalId)) {
  parent: account
  name: guid(account.id, developerPrincipalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: dataContributor
    principalId: developerPrincipalId
    scope: account.id
  }
}

output id string = account.id
output name string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
