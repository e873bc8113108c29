// FluxFunctions on Azure: a Function App on the Flex Consumption plan (.NET 10 isolated worker) with identity-based
// storage, the Runware key in Key Vault, Application Insights on Log Analytics, and Event Grid feeding the blob
// trigger. Deploy into a resource group with `az deployment group create` (see infra/README.md).

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------------------
// Names and region
// ---------------------------------------------------------------------------------------------------------------

@description('Short prefix of generated resource names (lower-case letters and digits).')
@minLength(2)
@maxLength(10)
param baseName string = 'flux'

@description('Azure region of every resource; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Unique suffix of generated names. Default: stable per subscription, resource group and baseName.')
@minLength(3)
@maxLength(13)
param resourceToken string = toLower(uniqueString(subscription().id, resourceGroup().id, baseName))

@description('Tags applied to every resource.')
param tags object = {
  application: 'FluxFunctions'
}

@description('Function App name (becomes {name}.azurewebsites.net). Default: generated from baseName.')
param functionAppName string = 'func-${baseName}-${resourceToken}'

@description('Flex Consumption plan name. Default: generated.')
param planName string = 'plan-${baseName}-${resourceToken}'

@description('Storage account name (3-24 lower-case letters and digits, globally unique). Default: generated.')
@minLength(3)
@maxLength(24)
param storageAccountName string = take(toLower('st${baseName}${resourceToken}'), 24)

@description('Key Vault name (3-24 characters, globally unique). Default: generated.')
@minLength(3)
@maxLength(24)
param keyVaultName string = take('kv-${baseName}-${resourceToken}', 24)

@description('User-assigned managed identity name. Default: generated.')
param identityName string = 'id-${baseName}-${resourceToken}'

@description('Log Analytics workspace name. Default: generated.')
param logAnalyticsName string = 'log-${baseName}-${resourceToken}'

@description('Application Insights name. Default: generated.')
param appInsightsName string = 'appi-${baseName}-${resourceToken}'

@description('Event Grid system topic name (one per storage account). Default: generated.')
param systemTopicName string = 'evgt-${baseName}-${resourceToken}'

// ---------------------------------------------------------------------------------------------------------------
// Hosting
// ---------------------------------------------------------------------------------------------------------------

@description('.NET version of the isolated worker (functionAppConfig.runtime.version).')
param dotnetVersion string = '10.0'

@description('Largest number of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Storage replication SKU.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
  'Standard_GZRS'
  'Standard_RAGZRS'
])
param storageSku string = 'Standard_LRS'

@description('Days a job\'s working files (flux-work/jobs/) are kept before the lifecycle rule deletes them.')
@minValue(1)
@maxValue(3650)
param workRetentionDays int = 7

@description('Days results and manifests (flux-outputs) are kept before a lifecycle rule deletes them; 0 (default): kept until you delete them.')
@minValue(0)
@maxValue(36500)
param outputRetentionDays int = 0

@description('Days failure records (flux-failed) are kept before a lifecycle rule deletes them; 0 (default): kept until you delete them.')
@minValue(0)
@maxValue(36500)
param failedRetentionDays int = 0

@description('Days flagged results (flux-quarantine, safety.onFlagged quarantine) are kept before a lifecycle rule deletes them; 0 (default): kept until you delete them.')
@minValue(0)
@maxValue(36500)
param quarantineRetentionDays int = 0

@description('Days deleted blobs and containers stay recoverable.')
@minValue(1)
@maxValue(365)
param storageSoftDeleteDays int = 7

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Application Insights accepts only Entra ID authenticated telemetry.')
param appInsightsDisableLocalAuth bool = true

@description('Key Vault purge protection (cannot be turned off once on).')
param keyVaultPurgeProtection bool = true

@description('Create the Event Grid subscription that feeds the BlobDropEventGrid function. Leave false on the first deployment; set true once the app\'s code is published (Event Grid validates the webhook on creation).')
param deployEventSubscription bool = false

@description('Optional object ID of a person or pipeline that operates the deployment: gets Storage Blob Data Contributor (uploads with --auth-mode login) and Key Vault Secrets Officer (sets the Runware key). Empty: none.')
param operatorPrincipalId string = ''

@description('Type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

// ---------------------------------------------------------------------------------------------------------------
// Runware (SPEC §4)
// ---------------------------------------------------------------------------------------------------------------

@description('Runware REST endpoint (Runware__BaseUrl).')
param runwareBaseUrl string = 'https://api.runware.ai/v1'

@description('How images reach Runware (Runware__ImageTransfer): upload once per job, or a short-lived read-only SAS URL.')
@allowed([
  'upload'
  'sas-url'
])
param runwareImageTransfer string = 'upload'

@description('Public base URL Runware reports results to by webhook (Runware__WebhookBaseUrl). Empty: results are polled.')
param runwareWebhookBaseUrl string = ''

@description('Runware API key, stored in Key Vault by this deployment. Empty: set it later with az keyvault secret set.')
@secure()
param runwareApiKey string = ''

@description('Name of the Key Vault secret holding the Runware API key.')
param runwareApiKeySecretName string = 'runware-api-key'

// ---------------------------------------------------------------------------------------------------------------
// Pipeline (SPEC §2 and §4)
// ---------------------------------------------------------------------------------------------------------------

@description('Container users drop work into (Flux__InputContainer).')
@minLength(3)
@maxLength(63)
param inputContainer string = 'flux-inputs'

@description('Container for results and manifests (Flux__OutputContainer).')
@minLength(3)
@maxLength(63)
param outputContainer string = 'flux-outputs'

@description('Container for one error record per failed job (Flux__FailedContainer).')
@minLength(3)
@maxLength(63)
param failedContainer string = 'flux-failed'

@description('Container for flagged results of jobs with safety.onFlagged quarantine (Flux__QuarantineContainer).')
@minLength(3)
@maxLength(63)
param quarantineContainer string = 'flux-quarantine'

@description('Container for HTTP job inputs and prepared images (Flux__WorkContainer).')
@minLength(3)
@maxLength(63)
param workContainer string = 'flux-work'

@description('Seconds a job waits for its mask or options file (Flux__CompanionWaitSeconds).')
@minValue(0)
@maxValue(86400)
param companionWaitSeconds int = 60

@description('In-flight Runware inferences per host (Flux__MaxConcurrentInferences).')
@minValue(1)
@maxValue(1024)
param maxConcurrentInferences int = 8

@description('Let image URLs and callbacks reach loopback and private addresses (Flux__AllowPrivateNetworkUrls). Development only: keep false.')
param allowPrivateNetworkUrls bool = false

@description('Content safety default for jobs that do not set safety.check (Flux__Safety__Check): off, outputs or inputs-and-outputs.')
@allowed([
  'off'
  'outputs'
  'inputs-and-outputs'
])
param safetyCheck string = 'off'

@description('What a result Runware flags does, for jobs that do not set safety.onFlagged (Flux__Safety__OnFlagged): fail, quarantine or record.')
@allowed([
  'fail'
  'quarantine'
  'record'
])
param safetyOnFlagged string = 'fail'

@description('HMAC-SHA256 secret signing callbacks to users (Flux__WebhookSecret), stored in Key Vault. Empty: callbacks are not signed.')
@secure()
param webhookSecret string = ''

@description('Name of the Key Vault secret holding the webhook signing secret.')
param webhookSecretName string = 'flux-webhook-secret'

@description('Durable task hub name; overrides host.json\'s extensions.durableTask.hubName.')
@minLength(3)
@maxLength(45)
param taskHubName string = 'FluxFunctions'

@description('More app settings (for example Flux__InferenceTimeoutSeconds), merged last.')
param additionalAppSettings object = {}

// ---------------------------------------------------------------------------------------------------------------
// Derived values
// ---------------------------------------------------------------------------------------------------------------

// Flex Consumption reads the deployment package from a blob container of its own.
var deploymentContainer = take('app-package-${resourceToken}', 63)

// The blob trigger with Source = EventGrid in src/FluxFunctions/Triggers/BlobDropTriggers.cs. Its polling twin,
// BlobDrop, is disabled by app setting (modules/functionapp.bicep).
var eventGridFunctionName = 'BlobDropEventGrid'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: logAnalyticsName
    appInsightsName: appInsightsName
    location: location
    tags: tags
    retentionInDays: logRetentionDays
    disableLocalAuth: appInsightsDisableLocalAuth
    publisherPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: storageAccountName
    location: location
    tags: tags
    skuName: storageSku
    inputContainer: inputContainer
    outputContainer: outputContainer
    failedContainer: failedContainer
    quarantineContainer: quarantineContainer
    workContainer: workContainer
    deploymentContainer: deploymentContainer
    workRetentionDays: workRetentionDays
    outputRetentionDays: outputRetentionDays
    failedRetentionDays: failedRetentionDays
    quarantineRetentionDays: quarantineRetentionDays
    softDeleteRetentionDays: storageSoftDeleteDays
    appPrincipalId: identity.outputs.principalId
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: keyVaultName
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
    softDeleteRetentionInDays: 90
    appPrincipalId: identity.outputs.principalId
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
    runwareApiKeySecretName: runwareApiKeySecretName
    runwareApiKey: runwareApiKey
    webhookSecretName: webhookSecretName
    webhookSecret: webhookSecret
  }
}

module blobEvents 'modules/blob-events.bicep' = {
  name: 'blob-events'
  params: {
    name: systemTopicName
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: functionAppName
    planName: planName
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainer: deploymentContainer
    appInsightsConnectionString: monitoring.outputs.connectionString
    dotnetVersion: dotnetVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    taskHubName: taskHubName
    runwareBaseUrl: runwareBaseUrl
    runwareImageTransfer: runwareImageTransfer
    runwareWebhookBaseUrl: runwareWebhookBaseUrl
    runwareApiKeySecretUri: keyVault.outputs.runwareApiKeySecretUri
    webhookSecretUri: keyVault.outputs.webhookSecretUri
    signCallbacks: !empty(webhookSecret)
    inputContainer: inputContainer
    outputContainer: outputContainer
    failedContainer: failedContainer
    quarantineContainer: quarantineContainer
    workContainer: workContainer
    companionWaitSeconds: companionWaitSeconds
    maxConcurrentInferences: maxConcurrentInferences
    allowPrivateNetworkUrls: allowPrivateNetworkUrls
    safetyCheck: safetyCheck
    safetyOnFlagged: safetyOnFlagged
    additionalAppSettings: additionalAppSettings
  }
}

module blobSubscription 'modules/blob-subscription.bicep' = if (deployEventSubscription) {
  name: 'blob-subscription'
  params: {
    systemTopicName: blobEvents.outputs.name
    name: 'input-blobs-to-functions'
    functionAppName: functionApp.outputs.name
    functionName: eventGridFunctionName
    inputContainer: inputContainer
    maxDeliveryAttempts: 30
    eventTimeToLiveInMinutes: 1440
  }
}

@description('Name of the Function App (for func azure functionapp publish).')
output functionAppName string = functionApp.outputs.name

@description('Base URL of the HTTP API.')
output apiBaseUrl string = 'https://${functionApp.outputs.defaultHostName}/api'

@description('Storage account name.')
output storageAccountName string = storage.outputs.name

@description('Key Vault name (az keyvault secret set --vault-name ...).')
output keyVaultName string = keyVault.outputs.name

@description('Name of the Key Vault secret holding the Runware API key.')
output runwareApiKeySecretName string = runwareApiKeySecretName

@description('Event Grid system topic of the storage account.')
output systemTopicName string = blobEvents.outputs.name

@description('Whether the Event Grid subscription to the blob trigger was deployed.')
output eventSubscriptionDeployed bool = deployEventSubscription
