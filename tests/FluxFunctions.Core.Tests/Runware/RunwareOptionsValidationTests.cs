using FluxFunctions.Core.Configuration;
using FluxFunctions.Runware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Tests.Runware;

public sealed class RunwareOptionsValidationTests
{
    private static OptionsValidationException? StartWith(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddRunwareClient(configuration);
        using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return ex;
        }
    }

    [Fact]
    public void AddRunwareClient_RunwareCloudWithoutKey_FailsOnStartNamingTheSetting()
    {
        var ex = StartWith(new() { ["Runware:BaseUrl"] = "https://api.runware.ai/v1" });

        Assert.NotNull(ex);
        Assert.Contains("Runware:ApiKey is required when Runware:BaseUrl is api.runware.ai", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRunwareClient_EmulatorWithoutKey_Starts()
    {
        Assert.Null(StartWith(new() { ["Runware:BaseUrl"] = "http://127.0.0.1:5380/v1" }));
    }

    [Fact]
    public void AddRunwareClient_RunwareCloudWithKey_StartsAndBindsTheSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Runware:ApiKey"] = "k-123456789",
            ["Runware:MaxRetries"] = "7",
            ["Runware:AttemptTimeoutSeconds"] = "12",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddRunwareClient(configuration);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<RunwareOptions>>().Value;

        Assert.Equal(7, options.MaxRetries);
        Assert.Equal(12, options.AttemptTimeoutSeconds);
        Assert.Equal(new Uri("https://api.runware.ai/v1"), options.BaseUrl);
    }

    [Fact]
    public void AddRunwareClient_SeveralBadSettings_ListsEveryOneByName()
    {
        var ex = StartWith(new()
        {
            ["Runware:BaseUrl"] = "http://127.0.0.1:5380/v1",
            ["Runware:AttemptTimeoutSeconds"] = "60",
            ["Runware:TotalTimeoutSeconds"] = "30",
            ["Runware:MaxRetries"] = "50",
            ["Runware:ImageTransfer"] = "ftp",
        });

        Assert.NotNull(ex);
        Assert.Contains("Runware:TotalTimeoutSeconds (30) must be at least Runware:AttemptTimeoutSeconds (60)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Runware:MaxRetries must be between 0 and 20", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Runware:ImageTransfer must be 'upload' or 'sas-url'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRunwareClient_KeyWithBearerPrefix_FailsWithoutRepeatingTheKey()
    {
        var ex = StartWith(new() { ["Runware:ApiKey"] = "Bearer k-secret-987654321" });

        Assert.NotNull(ex);
        Assert.Contains("without the 'Bearer ' prefix", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("k-secret-987654321", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AddRunwareClient_PlainHttpToRunwareCloud_Fails()
    {
        var ex = StartWith(new() { ["Runware:BaseUrl"] = "http://api.runware.ai/v1", ["Runware:ApiKey"] = "k-123456789" });

        Assert.NotNull(ex);
        Assert.Contains("Runware:BaseUrl must use https", ex.Message, StringComparison.Ordinal);
    }
}
