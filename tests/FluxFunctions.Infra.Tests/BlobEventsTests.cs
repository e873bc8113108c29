using Microsoft.Azure.Functions.Worker;

namespace FluxFunctions.Infra.Tests;

/// <summary>
/// Event Grid feeds the blob trigger with Source = EventGrid (the only source Flex Consumption supports); the polling
/// twin is switched off by app setting. Function names and settings are checked against the app's own attributes.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed class BlobEventsTests(CompiledTemplate template)
{
    [Fact]
    public void SystemTopic_WatchesTheStorageAccount()
    {
        var main = template.Main();
        var events = main.Module("blob-events");
        var properties = Deployed.Properties(events, events.Single("Microsoft.EventGrid/systemTopics"));

        Assert.Equal("Microsoft.Storage.StorageAccounts", properties["topicType"]);
        Assert.Equal(main.Module("storage").Output("id"), properties["source"]);
    }

    [Fact]
    public void Subscription_DeliversBlobCreatedOfTheInputContainerOnly()
    {
        var subscription = SubscriptionProperties(template.Main());

        Assert.Equal(["Microsoft.Storage.BlobCreated"], (IEnumerable<object?>)Deployed.At(subscription, "filter", "includedEventTypes")!);
        Assert.Equal("/blobServices/default/containers/flux-inputs/", Deployed.At(subscription, "filter", "subjectBeginsWith"));
        Assert.Equal("EventGridSchema", subscription["eventDeliverySchema"]);
    }

    [Fact]
    public void Subscription_CallsTheBlobExtensionWebhookOfTheEventGridFunction_WithItsSystemKey()
    {
        var eventGridFunction = FunctionsApp.WithSource(BlobTriggerSource.EventGrid).Name;
        var subscription = SubscriptionProperties(template.Main());
        var site = "/subscriptions/<subscriptionId>/resourceGroups/<resourceGroup>/providers/Microsoft.Web/sites/func-flux-tok123";

        Assert.Equal("WebHook", Deployed.At(subscription, "destination", "endpointType"));
        Assert.Equal(
            $"https://<reference('{site}', '2025-03-01').defaultHostName>/runtime/webhooks/blobs?functionName=Host.Functions.{eventGridFunction}"
            + $"&code=<listKeys('{site}/host/default', '2025-03-01').systemKeys.blobs_extension>",
            Deployed.At(subscription, "destination", "properties", "endpointUrl"));
    }

    [Fact]
    public void Subscription_FollowsTheInputContainerParameter()
    {
        var main = template.Main(("inputContainer", "team-drops"));

        Assert.Equal("/blobServices/default/containers/team-drops/", Deployed.At(SubscriptionProperties(main), "filter", "subjectBeginsWith"));
        Assert.Equal("team-drops", Deployed.Setting(main, "Flux__InputContainer"));
    }

    [Fact]
    public void Subscription_IsDeployedOnlyWhenRequested_AfterTheCodeIsPublished()
    {
        var deployment = template.Main().ModuleDeployment("blob-subscription");

        Assert.Equal(false, template.Main().Evaluate(deployment.GetProperty("condition")));
        Assert.Equal(true, template.Main(("deployEventSubscription", true)).Evaluate(deployment.GetProperty("condition")));
    }

    [Fact]
    public void AppSettings_DisableThePollingTrigger_AndKeepTheEventGridTriggerOn()
    {
        var main = template.Main();

        Assert.Equal("true", Deployed.Setting(main, $"AzureWebJobs.{FunctionsApp.WithSource(BlobTriggerSource.LogsAndContainerScan).Name}.Disabled"));
        Assert.Equal("false", Deployed.Setting(main, $"AzureWebJobs.{FunctionsApp.WithSource(BlobTriggerSource.EventGrid).Name}.Disabled"));
    }

    [Fact]
    public void BlobTriggers_FindTheirContainerAndConnectionInTheAppSettings()
    {
        var settings = Deployed.AppSettings(template.Main());

        Assert.Equal(2, FunctionsApp.BlobTriggers.Count);
        Assert.All(FunctionsApp.BlobTriggers, t =>
        {
            // %Flux:InputContainer% resolves from the app setting Flux__InputContainer.
            var container = t.Trigger.BlobPath.Split('/')[0].Trim('%').Replace(":", "__", StringComparison.Ordinal);
            Assert.Contains(container, settings.Keys);
            Assert.Contains($"{t.Trigger.Connection}__accountName", settings.Keys);
        });
    }

    private static IReadOnlyDictionary<string, object?> SubscriptionProperties(ArmScope main)
    {
        var module = main.Module("blob-subscription");
        return Deployed.Properties(module, module.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions"));
    }
}
