using System.Text.Json;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Runware;
using FluxFunctions.Testing;

namespace FluxFunctions.Infra.Tests;

/// <summary>The pipeline settings of SPEC §4 in the Function App's app settings, checked against the options classes.</summary>
[Collection(BicepCollection.Name)]
public sealed class AppSettingsTests(CompiledTemplate template)
{
    [Fact]
    public void AppSettings_CarryTheSpecSettings_WithTheCodeDefaults()
    {
        var main = template.Main();
        var flux = new FluxOptions();
        var runware = new RunwareOptions();

        Assert.Equal(runware.BaseUrl.ToString(), Deployed.Setting(main, "Runware__BaseUrl"));
        Assert.Equal(runware.ImageTransfer, Deployed.Setting(main, "Runware__ImageTransfer"));
        Assert.Equal(flux.InputContainer, Deployed.Setting(main, "Flux__InputContainer"));
        Assert.Equal(flux.OutputContainer, Deployed.Setting(main, "Flux__OutputContainer"));
        Assert.Equal(flux.FailedContainer, Deployed.Setting(main, "Flux__FailedContainer"));
        Assert.Equal(flux.QuarantineContainer, Deployed.Setting(main, "Flux__QuarantineContainer"));
        Assert.Equal(flux.Safety.Check, Deployed.Setting(main, "Flux__Safety__Check"));
        Assert.Equal(flux.Safety.OnFlagged, Deployed.Setting(main, "Flux__Safety__OnFlagged"));
        Assert.Equal(flux.WorkContainer, Deployed.Setting(main, "Flux__WorkContainer"));
        Assert.Equal(flux.CompanionWaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), Deployed.Setting(main, "Flux__CompanionWaitSeconds"));
        Assert.Equal(flux.MaxConcurrentInferences.ToString(System.Globalization.CultureInfo.InvariantCulture), Deployed.Setting(main, "Flux__MaxConcurrentInferences"));
        Assert.Equal("false", Deployed.Setting(main, "Flux__AllowPrivateNetworkUrls"));
        Assert.False(flux.AllowPrivateNetworkUrls);
    }

    [Fact]
    public void AppSettings_FluxAndRunwareKeys_BindToOptionProperties()
    {
        var settings = Deployed.AppSettings(template.Main(("webhookSecret", "s"), ("runwareWebhookBaseUrl", "https://flux.example.com")));
        var sections = new Dictionary<string, Type> { [FluxOptions.Section] = typeof(FluxOptions), [RunwareOptions.Section] = typeof(RunwareOptions) };

        var bound = settings.Keys.Where(k => sections.Keys.Any(s => k.StartsWith(s + "__", StringComparison.Ordinal))).ToList();

        Assert.Equal(15, bound.Count);
        Assert.All(bound, key =>
        {
            var parts = key.Split("__");
            Assert.NotNull(sections[parts[0]].GetProperty(parts[1]));
        });
    }

    [Fact]
    public void AppSettings_FollowTheRunwareParameters()
    {
        var main = template.Main(
            ("runwareBaseUrl", "https://runware.example.com/v1"),
            ("runwareImageTransfer", "sas-url"),
            ("runwareWebhookBaseUrl", "https://flux.example.com"));

        Assert.Equal("https://runware.example.com/v1", Deployed.Setting(main, "Runware__BaseUrl"));
        Assert.Equal("sas-url", Deployed.Setting(main, "Runware__ImageTransfer"));
        Assert.Equal("https://flux.example.com", Deployed.Setting(main, "Runware__WebhookBaseUrl"));
        Assert.DoesNotContain("Runware__WebhookBaseUrl", Deployed.AppSettings(template.Main()).Keys);
    }

    [Fact]
    public void AppSettings_FollowThePipelineParameters()
    {
        var main = template.Main(("companionWaitSeconds", 120), ("maxConcurrentInferences", 3), ("allowPrivateNetworkUrls", true));

        Assert.Equal("120", Deployed.Setting(main, "Flux__CompanionWaitSeconds"));
        Assert.Equal("3", Deployed.Setting(main, "Flux__MaxConcurrentInferences"));
        Assert.Equal("true", Deployed.Setting(main, "Flux__AllowPrivateNetworkUrls"));
    }

    [Fact]
    public void AdditionalAppSettings_AreMergedLast()
    {
        var extra = new Dictionary<string, string> { ["Flux__InferenceTimeoutSeconds"] = "600", ["Flux__CompanionWaitSeconds"] = "5" };

        var main = template.Main(("additionalAppSettings", extra));

        Assert.Equal("600", Deployed.Setting(main, "Flux__InferenceTimeoutSeconds"));
        Assert.Equal("5", Deployed.Setting(main, "Flux__CompanionWaitSeconds"));
    }

    [Fact]
    public void TaskHub_DefaultsToHostJsonHubName()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));
        var hubName = hostJson.RootElement.GetProperty("extensions").GetProperty("durableTask").GetProperty("hubName").GetString();

        Assert.Equal(hubName, Deployed.Setting(template.Main(), "AzureFunctionsJobHost__extensions__durableTask__hubName"));
    }
}
