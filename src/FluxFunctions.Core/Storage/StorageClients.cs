using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace FluxFunctions.Core.Storage;

/// <summary>
/// Builds storage clients from the Functions-style setting <c>AzureWebJobsStorage</c>: a connection string (Azurite,
/// <c>UseDevelopmentStorage=true</c>, keys) or identity-based (<c>AzureWebJobsStorage__accountName</c> or
/// <c>__blobServiceUri</c>, with <c>__clientId</c> for a user-assigned identity).
/// </summary>
public static class StorageClients
{
    public const string SettingName = "AzureWebJobsStorage";

    /// <summary>The connection string, when the setting is one.</summary>
    public static string? ConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[SettingName];
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (ConnectionString(configuration) is { } cs)
        {
            return new BlobServiceClient(cs);
        }

        var section = configuration.GetSection(SettingName);
        var credential = Credential(section);
        if (section["blobServiceUri"] is { Length: > 0 } uri)
        {
            return new BlobServiceClient(new Uri(uri), credential);
        }

        if (section["accountName"] is { Length: > 0 } account)
        {
            return new BlobServiceClient(new Uri($"https://{account}.blob.core.windows.net"), credential);
        }

        // The Functions default for local development.
        return new BlobServiceClient("UseDevelopmentStorage=true");
    }

    /// <summary>The table service of the same account (inference slots), from the same setting.</summary>
    public static TableServiceClient CreateTableServiceClient(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (ConnectionString(configuration) is { } cs)
        {
            return new TableServiceClient(cs);
        }

        var section = configuration.GetSection(SettingName);
        var credential = Credential(section);
        if (section["tableServiceUri"] is { Length: > 0 } uri)
        {
            return new TableServiceClient(new Uri(uri), credential);
        }

        if (section["accountName"] is { Length: > 0 } account)
        {
            return new TableServiceClient(new Uri($"https://{account}.table.core.windows.net"), credential);
        }

        return new TableServiceClient("UseDevelopmentStorage=true");
    }

    /// <summary>The token credential for identity-based connections.</summary>
    public static TokenCredential Credential(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var clientId = section["clientId"];
        return string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
