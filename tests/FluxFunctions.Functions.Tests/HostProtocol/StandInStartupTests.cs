namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>The stand-in reports a worker that cannot start with the worker's own words, promptly, and leaves no process behind.</summary>
public sealed class StandInStartupTests
{
    [Fact]
    public async Task Start_WorkerWhoseSettingsFailValidation_FailsWithTheWorkersOutput()
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Runware__BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Runware__ApiKey"] = "rw-test",
            ["Flux__InputContainer"] = "Not_A_Container!",
        };
        var started = DateTime.UtcNow;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            FunctionsHostStandIn.StartAsync(new WorkerLaunch(WorkerLaunch.BuiltAppDirectory, settings), TimeSpan.FromSeconds(60)));

        Assert.Contains("InputContainer", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(45), "the failure was only seen at the timeout");
    }
}
