// The Function App on the Flex Consumption plan (Linux, .NET isolated worker). The runtime is declared in
// functionAppConfig (Flex Consumption takes no FUNCTIONS_WORKER_RUNTIME or FUNCTIONS_EXTENSION_VERSION app settings),
// the deployment package lives in a blob container read with the app's user-assigned identity, and every connection
// is identity-based: no storage keys or connection strings.

@description('Function App name (globally unique host name).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region (one that offers Flex Consumption: az functionapp list-flexconsumption-locations).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Resource ID of the user-assigned identity.')
param identityId string

@description('Client ID of the user-assigned identity.')
param identityClientId string

@description('Storage account name (AzureWebJobsStorage).')
param storageAccountName string

@description('Primary blob endpoint of the storage account, with a trailing slash.')
param blobEndpoint string

@description('Container holding the deployment package.')
param deploymentContainer string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('.NET isolated worker version.')
param dotnetVersion string

@description('Largest number of instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Durable task hub name (overrides host.json\'s extensions.durableTask.hubName).')
param taskHubName string

@description('Runware REST endpoint.')
param runwareBaseUrl string

@description('upload or sas-url.')
param runwareImageTransfer string

@description('Public base URL for Runware result webhooks. Empty: results are polled.')
param runwareWebhookBaseUrl string

@description('Versionless Key Vault URI of the Runware API key secret.')
param runwareApiKeySecretUri string

@description('Versionless Key Vault URI of the webhook signing secret.')
param webhookSecretUri string

@description('Reference the webhook signing secret (Flux__WebhookSecret); false: callbacks are not signed.')
param signCallbacks bool

@description('Container users drop work into.')
param inputContainer string

@description('Container for results and manifests.')
param outputContainer string

@description('Container for failure records.')
param failedContainer string

@description('Container for flagged results of jobs with safety.onFlagged quarantine.')
param quarantineContainer string

@description('Container for job working files.')
param workContainer string

@description('Seconds a job waits for its mask or options file.')
param companionWaitSeconds int

@description('In-flight Runware inferences per host.')
param maxConcurrentInferences int

@description('Let image URLs and callbacks reach private addresses (development only).')
param allowPrivateNetworkUrls bool

@description('Content safety default: off, outputs or inputs-and-outputs.')
param safetyCheck string

@description('What a flagged result does by default: fail, quarantine or record.')
param safetyOnFlagged string

@description('More app settings, merged last.')
param additionalAppSettings object

var appSettings = {
  // Identity-based AzureWebJobsStorage: the host, the blob trigger and the durable task hub. No keys.
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // DefaultAzureCredential in the worker (SDK clients, telemetry exporters) picks the user-assigned identity.
  AZURE_CLIENT_ID: identityClientId
  // Telemetry, authenticated with the identity (Application Insights local auth is off by default).
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // Flex Consumption supports only the Event Grid blob trigger source: the polling twin stays off in Azure.
  'AzureWebJobs.BlobDrop.Disabled': 'true'
  'AzureWebJobs.BlobDropEventGrid.Disabled': 'false'
  AzureFunctionsJobHost__extensions__durableTask__hubName: taskHubName
  // SPEC §4. The Runware key is a Key Vault reference resolved by the platform with the user-assigned identity
  // (keyVaultReferenceIdentity): the value never appears in the template, the deployment or the app settings.
  Runware__BaseUrl: runwareBaseUrl
  Runware__ApiKey: '@Microsoft.KeyVault(SecretUri=${runwareApiKeySecretUri})'
  Runware__ImageTransfer: runwareImageTransfer
  Flux__InputContainer: inputContainer
  Flux__OutputContainer: outputContainer
  Flux__FailedContainer: failedContainer
  Flux__QuarantineContainer: quarantineContainer
  Flux__WorkContainer: workContainer
  Flux__CompanionWaitSeconds: string(companionWaitSeconds)
  Flux__MaxConcurrentInferences: string(maxConcurrentInferences)
  Flux__AllowPrivateNetworkUrls: allowPrivateNetworkUrls ? 'true' : 'false'
  Flux__Safety__Check: safetyCheck
  Flux__Safety__OnFlagged: safetyOnFlagged
}

var webhookBaseUrlSetting = empty(runwareWebhookBaseUrl) ? {} : { Runware__WebhookBaseUrl: runwareWebhookBaseUrl }

var webhookSecretSetting = !signCallbacks ? {} : { Flux__WebhookSecret: '@Microsoft.KeyVault(SecretUri=${webhookSecretUri})' }

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references (Runware__ApiKey, Flux__WebhookSecret) resolve with the user-assigned identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
  }
}

// The whole app-settings collection: each deployment replaces it, so settings changed by hand are reset.
resource appSettingsConfig 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: union(appSettings, webhookBaseUrlSetting, webhookSecretSetting, additionalAppSettings)
}

@description('Name of the Function App.')
output name string = site.name

@description('Default host name of the Function App.')
output defaultHostName string = site.properties.defaultHostName
