namespace FluxFunctions.Infra.Tests;

/// <summary>The Function App on Flex Consumption: plan, runtime, deployment storage, identity.</summary>
[Collection(BicepCollection.Name)]
public sealed class HostingTests(CompiledTemplate template)
{
    [Fact]
    public void Plan_IsFlexConsumptionFc1OnLinux()
    {
        var app = template.Main().Module("functionapp");
        var plan = app.Single("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", app.Evaluate(plan.GetProperty("sku").GetProperty("name")));
        Assert.Equal("FlexConsumption", app.Evaluate(plan.GetProperty("sku").GetProperty("tier")));
        Assert.Equal(true, Deployed.At(Deployed.Properties(app, plan), "reserved"));
    }

    [Fact]
    public void FunctionApp_DeclaresDotnetIsolated10_InFunctionAppConfig()
    {
        var app = template.Main().Module("functionapp");
        var site = app.Single("Microsoft.Web/sites");
        var properties = Deployed.Properties(app, site);

        Assert.Equal("functionapp,linux", app.Evaluate(site.GetProperty("kind")));
        Assert.Equal("dotnet-isolated", Deployed.At(properties, "functionAppConfig", "runtime", "name"));
        Assert.Equal("10.0", Deployed.At(properties, "functionAppConfig", "runtime", "version"));
        Assert.Equal(true, Deployed.At(properties, "httpsOnly"));
    }

    [Fact]
    public void FunctionApp_ScaleSettings_FollowParameters()
    {
        var app = template.Main(("maximumInstanceCount", 250), ("instanceMemoryMB", 4096)).Module("functionapp");
        var properties = Deployed.Properties(app, app.Single("Microsoft.Web/sites"));

        Assert.Equal(250L, Deployed.At(properties, "functionAppConfig", "scaleAndConcurrency", "maximumInstanceCount"));
        Assert.Equal(4096L, Deployed.At(properties, "functionAppConfig", "scaleAndConcurrency", "instanceMemoryMB"));
    }

    [Fact]
    public void FunctionApp_DeploymentPackage_IsReadWithTheUserAssignedIdentity()
    {
        var main = template.Main();
        var app = main.Module("functionapp");
        var storage = Deployed.At(Deployed.Properties(app, app.Single("Microsoft.Web/sites")), "functionAppConfig", "deployment", "storage");
        var identityId = main.Module("identity").Output("id");

        Assert.Equal("blobContainer", Deployed.At(storage, "type"));
        Assert.EndsWith($"app-package-{CompiledTemplate.ResourceToken}", ArmText.Of(Deployed.At(storage, "value")), StringComparison.Ordinal);
        Assert.Equal("UserAssignedIdentity", Deployed.At(storage, "authentication", "type"));
        Assert.Equal(identityId, Deployed.At(storage, "authentication", "userAssignedIdentityResourceId"));
    }

    [Fact]
    public void FunctionApp_RunsAsTheUserAssignedIdentity_AndResolvesKeyVaultReferencesWithIt()
    {
        var main = template.Main();
        var app = main.Module("functionapp");
        var site = app.Single("Microsoft.Web/sites");
        var identityId = main.Module("identity").Output("id");
        var identity = (IReadOnlyDictionary<string, object?>)app.Evaluate(site.GetProperty("identity"))!;

        Assert.Equal("UserAssigned", identity["type"]);
        Assert.Equal([ArmText.Of(identityId)], ((IReadOnlyDictionary<string, object?>)identity["userAssignedIdentities"]!).Keys);
        Assert.Equal(identityId, Deployed.At(Deployed.Properties(app, site), "keyVaultReferenceIdentity"));
    }

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    public void AppSettings_LeaveOutSettingsFlexConsumptionRejects(string setting)
    {
        Assert.DoesNotContain(setting, Deployed.AppSettings(template.Main()).Keys);
    }
}
