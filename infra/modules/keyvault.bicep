// Key Vault (RBAC authorization) for the app's secrets: the Runware API key and, when used, the webhook signing secret.
// The app reads them through Key Vault references resolved with its user-assigned identity (Key Vault Secrets User).
// Secret values are set here only when passed as secure parameters; otherwise an operator sets them with
// `az keyvault secret set` (the operator principal gets Key Vault Secrets Officer).

@description('Key Vault name (3-24 letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Turn on purge protection (cannot be turned off again; recommended in production).')
param enablePurgeProtection bool

@description('Days a deleted vault or secret stays recoverable.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Principal ID of the app identity (reads secrets).')
param appPrincipalId string

@description('Optional principal that manages the secrets. Empty: none.')
param operatorPrincipalId string

@description('Type of operatorPrincipalId.')
param operatorPrincipalType string

@description('Name of the secret holding the Runware API key.')
param runwareApiKeySecretName string

@description('Runware API key to store now. Empty: set it later with az keyvault secret set.')
@secure()
param runwareApiKey string

@description('Name of the secret holding the webhook signing secret.')
param webhookSecretName string

@description('Webhook signing secret to store now. Empty: none stored.')
@secure()
param webhookSecret string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource runwareApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(runwareApiKey)) {
  parent: vault
  name: runwareApiKeySecretName
  properties: {
    value: runwareApiKey
    contentType: 'text/plain'
  }
}

resource webhookSecretValue 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(webhookSecret)) {
  parent: vault
  name: webhookSecretName
  properties: {
    value: webhookSecret
    contentType: 'text/plain'
  }
}

resource appSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    // Key Vault Secrets User
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(vault.id, operatorPrincipalId, 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')
  scope: vault
  properties: {
    // Key Vault Secrets Officer
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}

@description('Name of the vault.')
output name string = vault.name

@description('Versionless URI of the Runware API key secret (the app always reads the latest version).')
output runwareApiKeySecretUri string = '${vault.properties.vaultUri}secrets/${runwareApiKeySecretName}'

@description('Versionless URI of the webhook signing secret.')
output webhookSecretUri string = '${vault.properties.vaultUri}secrets/${webhookSecretName}'
