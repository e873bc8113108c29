using FluxFunctions.Core.Configuration;

namespace FluxFunctions.Infra.Tests;

/// <summary>The containers of SPEC §2, the work container and the lifecycle rule that expires job working files.</summary>
[Collection(BicepCollection.Name)]
public sealed class StorageLayoutTests(CompiledTemplate template)
{
    [Fact]
    public void Storage_CreatesThePipelineContainers_WithTheCodeDefaults()
    {
        var options = new FluxOptions();

        var containers = Containers(template.Main());

        Assert.Equal(
            new[] { options.InputContainer, options.OutputContainer, options.FailedContainer, options.QuarantineContainer, options.WorkContainer, $"app-package-{CompiledTemplate.ResourceToken}" }.Order(),
            containers.Order());
    }

    [Fact]
    public void Storage_ContainerNames_FollowParameters()
    {
        var containers = Containers(template.Main(("outputContainer", "results"), ("failedContainer", "errors"), ("workContainer", "scratch")));

        Assert.Contains("results", containers);
        Assert.Contains("errors", containers);
        Assert.Contains("scratch", containers);
    }

    [Fact]
    public void Lifecycle_ExpiresJobWorkingFilesOnly_AfterTheRetentionDays()
    {
        var rule = Assert.Single(Rules(template.Main(("workRetentionDays", 30))));

        Assert.Equal(new object[] { "flux-work/jobs/" }, (IEnumerable<object?>)Deployed.At(rule, "definition", "filters", "prefixMatch")!);
        Assert.Equal(30L, Deployed.At(rule, "definition", "actions", "baseBlob", "delete", "daysAfterModificationGreaterThan"));
        Assert.Equal(true, Deployed.At(rule, "enabled"));
    }

    [Fact]
    public void Lifecycle_DefaultRetention_IsSevenDays()
    {
        var rule = Assert.Single(Rules(template.Main()));

        Assert.Equal(7L, Deployed.At(rule, "definition", "actions", "baseBlob", "delete", "daysAfterModificationGreaterThan"));
    }

    [Fact]
    public void Lifecycle_OutputsAndFailureRecords_AreKeptUnlessTheirRetentionIsSet()
    {
        Assert.Equal(["expire-work-jobs"], Rules(template.Main()).Select(r => (string)Deployed.At(r, "name")!));

        var rules = Rules(template.Main(("outputRetentionDays", 90), ("failedRetentionDays", 30), ("outputContainer", "results"))).ToList();

        Assert.Equal(["expire-work-jobs", "expire-outputs", "expire-failure-records"], rules.Select(r => (string)Deployed.At(r, "name")!));
        Assert.Equal(new object[] { "results/" }, (IEnumerable<object?>)Deployed.At(rules[1], "definition", "filters", "prefixMatch")!);
        Assert.Equal(90L, Deployed.At(rules[1], "definition", "actions", "baseBlob", "delete", "daysAfterModificationGreaterThan"));
        Assert.Equal(new object[] { "flux-failed/" }, (IEnumerable<object?>)Deployed.At(rules[2], "definition", "filters", "prefixMatch")!);
        Assert.Equal(30L, Deployed.At(rules[2], "definition", "actions", "baseBlob", "delete", "daysAfterModificationGreaterThan"));
    }

    [Fact]
    public void Lifecycle_Quarantine_IsKeptUnlessItsRetentionIsSet()
    {
        Assert.DoesNotContain(Rules(template.Main(("outputRetentionDays", 90))), r => (string)Deployed.At(r, "name")! == "expire-quarantine");

        var rules = Rules(template.Main(("quarantineRetentionDays", 14), ("quarantineContainer", "held"))).ToList();

        Assert.Equal(["expire-work-jobs", "expire-quarantine"], rules.Select(r => (string)Deployed.At(r, "name")!));
        Assert.Equal(new object[] { "held/" }, (IEnumerable<object?>)Deployed.At(rules[1], "definition", "filters", "prefixMatch")!);
        Assert.Equal(14L, Deployed.At(rules[1], "definition", "actions", "baseBlob", "delete", "daysAfterModificationGreaterThan"));
        Assert.Contains("held", Containers(template.Main(("quarantineContainer", "held"))));
    }

    private static List<string> Containers(ArmScope main)
    {
        var storage = main.Module("storage");
        return storage.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers")
            .SelectMany(r => storage.EvaluateCopies(r, "name"))
            .Select(name => ((string)name!).Split('/')[^1])
            .ToList();
    }

    private static IEnumerable<object?> Rules(ArmScope main)
    {
        var storage = main.Module("storage");
        var policy = Deployed.Properties(storage, storage.Single("Microsoft.Storage/storageAccounts/managementPolicies"));
        return (IEnumerable<object?>)Deployed.At(policy, "policy", "rules")!;
    }
}
