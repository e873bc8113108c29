using System.Text.RegularExpressions;

namespace FluxFunctions.Infra.Tests;

/// <summary>Identity-based storage: data roles for the app's identity, no keys or connection strings anywhere.</summary>
[Collection(BicepCollection.Name)]
public sealed partial class StorageAccessTests(CompiledTemplate template)
{
    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b")] // Storage Blob Data Owner
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88")] // Storage Queue Data Contributor
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3")] // Storage Table Data Contributor
    public void AppIdentity_HoldsStorageDataRole(string roleDefinitionId)
    {
        var main = template.Main();

        Assert.Contains(roleDefinitionId, Deployed.RolesOf(main.Module("storage"), Deployed.AppPrincipalId(main)));
    }

    [Fact]
    public void AppIdentity_HoldsNoOtherStorageRole()
    {
        var main = template.Main();

        Assert.Equal(3, Deployed.RolesOf(main.Module("storage"), Deployed.AppPrincipalId(main)).Count);
    }

    [Fact]
    public void AppSettings_ConnectAzureWebJobsStorageWithTheIdentity()
    {
        var main = template.Main();
        var settings = Deployed.AppSettings(main);

        Assert.Equal($"stflux{CompiledTemplate.ResourceToken}", Deployed.Setting(main, "AzureWebJobsStorage__accountName"));
        Assert.Equal("managedidentity", Deployed.Setting(main, "AzureWebJobsStorage__credential"));
        Assert.Equal(ArmText.Of(main.Module("identity").Output("clientId")), ArmText.Of(settings["AzureWebJobsStorage__clientId"]));
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
    }

    [Fact]
    public void StorageAccount_RefusesSharedKeysAndAnonymousReads()
    {
        var storage = template.Main().Module("storage");
        var properties = Deployed.Properties(storage, storage.Single("Microsoft.Storage/storageAccounts"));

        Assert.Equal(false, properties["allowSharedKeyAccess"]);
        Assert.Equal(false, properties["allowBlobPublicAccess"]);
        Assert.Equal(true, properties["defaultToOAuthAuthentication"]);
        Assert.Equal("TLS1_2", properties["minimumTlsVersion"]);
    }

    [Fact]
    public void Template_HoldsNoStorageKeysOrConnectionStrings()
    {
        foreach (var forbidden in new[] { "AccountKey", "DefaultEndpointsProtocol", "SharedAccessSignature", "listAccountSas", "listServiceSas", "listConnectionStrings", "primaryKey", "UseDevelopmentStorage" })
        {
            Assert.DoesNotContain(forbidden, template.Text, StringComparison.OrdinalIgnoreCase);
        }

        // The one listKeys call reads the Functions host's blobs_extension system key (it authorizes Event Grid's
        // webhook calls): a function key, not a storage key.
        var calls = ListKeys().Matches(template.Text).Select(m => m.Value).ToList();
        Assert.NotEmpty(calls);
        Assert.All(calls, call => Assert.Matches(HostKeys(), call));
    }

    [Fact]
    public void AppSettings_HoldNoConnectionStringOtherThanTelemetry()
    {
        var settings = Deployed.AppSettings(template.Main());

        Assert.Equal(["APPLICATIONINSIGHTS_CONNECTION_STRING"], settings.Keys.Where(k => k.Contains("CONNECTION", StringComparison.OrdinalIgnoreCase)));
        Assert.All(settings.Values, v => Assert.DoesNotContain("AccountKey=", ArmText.Of(v), StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"listKeys\([^\]]*")]
    private static partial Regex ListKeys();

    [GeneratedRegex(@"^listKeys\(format\('\{0\}/host/default', resourceId\('Microsoft\.Web/sites', parameters\('\w+'\)\)\), '[0-9-]+'\)\.systemKeys\.blobs_extension\)$")]
    private static partial Regex HostKeys();
}
