using System.Net;
using DurableTask.AzureStorage;
using DurableTask.Core;
using FluxFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// A durable engine of its own for the Functions worker, in the role of the Durable extension inside the host:
/// DurableTask.AzureStorage on a task hub of its own (Azurite), served by TaskHubGrpcServer on a loopback TCP port. No
/// in-process worker pulls its work items: <see cref="DurableTriggerBridge"/> hands them to the worker's orchestrator
/// and activity functions.
/// </summary>
public sealed class DurableEngineOnTcp : IAsyncDisposable
{
    private readonly WebApplication app;

    private DurableEngineOnTcp(WebApplication app, string taskHub, Uri address)
    {
        this.app = app;
        TaskHub = taskHub;
        Address = address;
    }

    public string TaskHub { get; }

    /// <summary>The engine's gRPC address (rpcBaseUrl for the worker's durable clients, the bridge's work item source).</summary>
    public Uri Address { get; }

    public static async Task<DurableEngineOnTcp> StartAsync(string storageConnectionString)
    {
        var hub = "fn" + Guid.NewGuid().ToString("N")[..12];
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hub,
            StorageAccountClientProvider = new StorageAccountClientProvider(storageConnectionString),
            PartitionCount = 1,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            WorkerId = $"fnhost-{Environment.ProcessId}",
        });
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);

        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(g => g.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync().ConfigureAwait(false);
        return new DurableEngineOnTcp(app, hub, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(stop.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
