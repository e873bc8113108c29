// The storage account: the Functions host (AzureWebJobsStorage), the durable task hub (queues, tables and blobs the
// Durable extension creates on start), the pipeline's containers (SPEC §2 plus the work container) and the Flex
// Consumption deployment container. Shared keys are disabled: everything authenticates with Entra ID.

@description('Storage account name (3-24 lower-case letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Replication SKU.')
param skuName string

@description('Container users drop work into (Flux__InputContainer).')
param inputContainer string

@description('Container for results and manifests (Flux__OutputContainer).')
param outputContainer string

@description('Container for failure records (Flux__FailedContainer).')
param failedContainer string

@description('Container for flagged results of jobs with safety.onFlagged quarantine (Flux__QuarantineContainer).')
param quarantineContainer string

@description('Container for job working files (Flux__WorkContainer).')
param workContainer string

@description('Container holding the Flex Consumption deployment package.')
param deploymentContainer string

@description('Days after which a job\'s working files under {workContainer}/jobs/ are deleted.')
@minValue(1)
param workRetentionDays int

@description('Days after which results and manifests in the output container are deleted; 0: never.')
@minValue(0)
param outputRetentionDays int

@description('Days after which failure records in the failed container are deleted; 0: never.')
@minValue(0)
param failedRetentionDays int

@description('Days after which flagged results in the quarantine container are deleted; 0: never.')
@minValue(0)
param quarantineRetentionDays int

@description('Days deleted blobs and containers stay recoverable (soft delete).')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int

@description('Principal ID of the app identity.')
param appPrincipalId string

@description('Optional principal (a person or a pipeline) that may read and write blobs, for uploads with --auth-mode login. Empty: none.')
param operatorPrincipalId string

@description('Type of operatorPrincipalId.')
param operatorPrincipalType string

var pipelineContainers = [
  inputContainer
  outputContainer
  failedContainer
  quarantineContainer
  workContainer
  deploymentContainer
]

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [
  for container in pipelineContainers: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

// Job working files (inputs of HTTP jobs, prepared images sent to Runware) are scratch: expire them. Inputs, outputs
// and failure records are never deleted by the pipeline (SPEC §2); outputs and failure records may be expired by the
// deployment's own choice (outputRetentionDays, failedRetentionDays, quarantineRetentionDays; 0 keeps them).
var expireWork = {
  name: 'expire-work-jobs'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: [
        'blockBlob'
      ]
      prefixMatch: [
        '${workContainer}/jobs/'
      ]
    }
    actions: {
      baseBlob: {
        delete: {
          daysAfterModificationGreaterThan: workRetentionDays
        }
      }
    }
  }
}
var expireOutputs = {
  name: 'expire-outputs'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: [
        'blockBlob'
      ]
      prefixMatch: [
        '${outputContainer}/'
      ]
    }
    actions: {
      baseBlob: {
        delete: {
          daysAfterModificationGreaterThan: outputRetentionDays
        }
      }
    }
  }
}
var expireFailures = {
  name: 'expire-failure-records'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: [
        'blockBlob'
      ]
      prefixMatch: [
        '${failedContainer}/'
      ]
    }
    actions: {
      baseBlob: {
        delete: {
          daysAfterModificationGreaterThan: failedRetentionDays
        }
      }
    }
  }
}

var expireQuarantine = {
  name: 'expire-quarantine'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: [
        'blockBlob'
      ]
      prefixMatch: [
        '${quarantineContainer}/'
      ]
    }
    actions: {
      baseBlob: {
        delete: {
          daysAfterModificationGreaterThan: quarantineRetentionDays
        }
      }
    }
  }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: concat([expireWork], outputRetentionDays > 0 ? [expireOutputs] : [], failedRetentionDays > 0 ? [expireFailures] : [], quarantineRetentionDays > 0 ? [expireQuarantine] : [])
    }
  }
  dependsOn: [
    containers
  ]
}

// The app identity's data roles. Blobs: the host, the blob trigger, the deployment package, the pipeline's containers
// and user delegation SAS for Runware__ImageTransfer=sas-url. Queues: durable control and work-item queues and the
// blob trigger's poison queue. Tables: durable history and instances. No control-plane role is needed.
resource appBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: account
  properties: {
    // Storage Blob Data Owner
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appQueueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
  scope: account
  properties: {
    // Storage Queue Data Contributor
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  scope: account
  properties: {
    // Storage Table Data Contributor
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorBlobDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(account.id, operatorPrincipalId, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: account
  properties: {
    // Storage Blob Data Contributor
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}

@description('Resource ID of the storage account.')
output id string = account.id

@description('Name of the storage account.')
output name string = account.name

@description('Primary blob endpoint, with a trailing slash.')
output blobEndpoint string = account.properties.primaryEndpoints.blob
