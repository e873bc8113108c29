using Azure.Core;
using DurableTask.AzureStorage;
using DurableTask.Core;
using FluxFunctions.Core.Storage;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Runner.Durable;

/// <summary>
/// The runner's durable engine: DurableTask.AzureStorage (queues, tables and blobs of the configured account — Azurite
/// locally) served over gRPC by <c>TaskHubGrpcServer</c> on a private Unix socket, to which this process's
/// Microsoft.DurableTask worker and client connect. Runners sharing a task hub share its partitions: that is how they
/// scale out and take over from one another after a crash.
/// </summary>
public sealed partial class DurableSidecar(
    IConfiguration configuration,
    IOptions<DurableOptions> options,
    SidecarSocket socket,
    ILoggerFactory loggerFactory,
    ILogger<DurableSidecar> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? sidecar;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = o.HubName,
            StorageAccountClientProvider = CreateClientProvider(configuration),
            PartitionCount = o.PartitionCount,
            MaxConcurrentTaskActivityWorkItems = o.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = o.MaxConcurrentOrchestrations,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(o.MaxQueuePollingIntervalMs),
            LeaseInterval = TimeSpan.FromSeconds(o.PartitionLeaseSeconds),
            LeaseRenewInterval = TimeSpan.FromSeconds(Math.Max(2, o.PartitionLeaseSeconds / 3)),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(o.WorkItemVisibilitySeconds),
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(o.ControlQueueVisibilitySeconds),
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}",
            LoggerFactory = loggerFactory,
        };
        var service = new AzureStorageOrchestrationService(settings);
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socket.Path, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(g => g.MaxReceiveMessageSize = 64 * 1024 * 1024);
        builder.Services.AddSingleton<IOrchestrationService>(new ActivityLockRenewal(service, TimeSpan.FromSeconds(o.WorkItemVisibilitySeconds), logger));
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(10));
        sidecar = builder.Build();
        sidecar.MapGrpcService<TaskHubGrpcServer>();
        await sidecar.StartAsync(cancellationToken).ConfigureAwait(false);
        LogStarted(logger, o.HubName, o.PartitionCount);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (sidecar is not null)
        {
            await sidecar.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (sidecar is not null)
        {
            await sidecar.DisposeAsync().ConfigureAwait(false);
            sidecar = null;
        }
    }

    private static StorageAccountClientProvider CreateClientProvider(IConfiguration configuration)
    {
        if (StorageClients.ConnectionString(configuration) is { } cs)
        {
            return new StorageAccountClientProvider(cs);
        }

        var section = configuration.GetSection(StorageClients.SettingName);
        TokenCredential credential = StorageClients.Credential(section);
        if (section["accountName"] is { Length: > 0 } account)
        {
            return new StorageAccountClientProvider(account, credential);
        }

        return new StorageAccountClientProvider("UseDevelopmentStorage=true");
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Durable engine on task hub {HubName} ({Partitions} partitions) is up")]
    private static partial void LogStarted(ILogger logger, string hubName, int partitions);
}
