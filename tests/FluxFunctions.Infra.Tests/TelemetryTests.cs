namespace FluxFunctions.Infra.Tests;

/// <summary>Application Insights on Log Analytics, with telemetry authenticated by the app's identity.</summary>
[Collection(BicepCollection.Name)]
public sealed class TelemetryTests(CompiledTemplate template)
{
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    [Fact]
    public void ApplicationInsights_IsWorkspaceBasedAndEntraOnly()
    {
        var monitoring = template.Main().Module("monitoring");
        var workspace = monitoring.Single("Microsoft.OperationalInsights/workspaces");
        var properties = Deployed.Properties(monitoring, monitoring.Single("Microsoft.Insights/components"));

        Assert.Equal($"log-flux-{CompiledTemplate.ResourceToken}", monitoring.Evaluate(workspace.GetProperty("name")));
        Assert.Equal(monitoring.Output("workspaceId"), properties["WorkspaceResourceId"]);
        Assert.Equal(true, properties["DisableLocalAuth"]);
    }

    [Fact]
    public void AppIdentity_IsMonitoringMetricsPublisher()
    {
        var main = template.Main();

        Assert.Equal([MonitoringMetricsPublisher], Deployed.RolesOf(main.Module("monitoring"), Deployed.AppPrincipalId(main)));
    }

    [Fact]
    public void AppSettings_AuthenticateTelemetryWithTheIdentity()
    {
        var main = template.Main();
        var clientId = ArmText.Of(main.Module("identity").Output("clientId"));

        Assert.Equal($"ClientId={clientId};Authorization=AAD", Deployed.Setting(main, "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
        Assert.Equal(main.Module("monitoring").Output("connectionString"), Deployed.AppSettings(main)["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.Equal(clientId, ArmText.Of(Deployed.AppSettings(main)["AZURE_CLIENT_ID"]));
    }
}
