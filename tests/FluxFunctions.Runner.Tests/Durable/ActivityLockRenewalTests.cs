using DurableTask.AzureStorage;
using FluxFunctions.Runner.Durable;
using Microsoft.Extensions.Logging.Abstractions;

namespace FluxFunctions.Runner.Tests.Durable;

public sealed class ActivityLockRenewalTests
{
    [Fact]
    public async Task StopAsync_ServiceNeverStarted_ReturnsWithoutTouchingIt()
    {
        // The sidecar stops the service when its host stops, also before its worker connected and so before it started it;
        // Azure Storage's service throws NullReferenceException then, from an async void handler that ends the process.
        using var renewal = new ActivityLockRenewal(NeverStarted(), TimeSpan.FromSeconds(30), NullLogger.Instance);

        await renewal.StopAsync(isForced: false);
        await renewal.StopAsync();
    }

    [Fact]
    public async Task StopAsync_ServiceNeverStarted_TheServiceItselfWouldThrow()
    {
        // The control for the test above: what the sidecar met without the guard.
        await Assert.ThrowsAsync<NullReferenceException>(() => NeverStarted().StopAsync(isForced: false));
    }

    private static AzureStorageOrchestrationService NeverStarted() => new(new AzureStorageOrchestrationServiceSettings
    {
        TaskHubName = "neverstarted",
        StorageAccountClientProvider = new StorageAccountClientProvider("UseDevelopmentStorage=true"),
    });
}
