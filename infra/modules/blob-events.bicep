// The Event Grid system topic of the storage account: the source of BlobCreated events for the blob trigger with
// Source = EventGrid (the only blob trigger source on Flex Consumption). The subscription that feeds the Function App
// is in blob-subscription.bicep: it can only be created once the app's code is deployed.

@description('Name of the system topic.')
param name string

@description('Azure region (the storage account\'s).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Resource ID of the storage account.')
param storageAccountId string

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storageAccountId
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

@description('Name of the system topic.')
output name string = topic.name
