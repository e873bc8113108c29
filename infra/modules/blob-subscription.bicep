// The Event Grid subscription that delivers BlobCreated events of the input container to the Functions blob
// extension's webhook, for the BlobDropEventGrid function (blob trigger with Source = EventGrid).
//
// Deploy it only after the app's code is published: Event Grid validates the webhook when the subscription is
// created, and the host creates the blobs_extension system key when it first loads the blob extension.

@description('Name of the existing system topic of the storage account.')
param systemTopicName string

@description('Name of the event subscription.')
param name string

@description('Name of the Function App.')
param functionAppName string

@description('Function receiving the events (the blob trigger with Source = EventGrid).')
param functionName string

@description('Container whose new blobs start jobs (Flux__InputContainer).')
param inputContainer string

@description('Delivery attempts before an event is dropped.')
@minValue(1)
@maxValue(30)
param maxDeliveryAttempts int

@description('Minutes Event Grid keeps retrying an event.')
@minValue(1)
@maxValue(1440)
param eventTimeToLiveInMinutes int

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

// The blob extension's system key is a Functions host key (authorizes calls to the webhook), not a storage key.
var blobsExtensionKey = listKeys('${site.id}/host/default', '2025-03-01').systemKeys.blobs_extension

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: name
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${inputContainer}/'
      isSubjectCaseSensitive: false
    }
    retryPolicy: {
      maxDeliveryAttempts: maxDeliveryAttempts
      eventTimeToLiveInMinutes: eventTimeToLiveInMinutes
    }
  }
}

@description('Name of the event subscription.')
output name string = subscription.name
