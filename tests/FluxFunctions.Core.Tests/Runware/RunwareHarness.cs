using FluxFunctions.Core.Configuration;
using FluxFunctions.Runware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FluxFunctions.Core.Tests.Runware;

/// <summary>A stub server plus a <see cref="RunwareClient"/> wired exactly as production wires it (AddRunwareClient),
/// with fast settings, a capturing logger at Trace level and an optional fake clock.</summary>
internal sealed class RunwareHarness : IAsyncDisposable
{
    public const string ApiKey = "rw-secret-4f1c9a7e2b8d6053";

    private RunwareHarness(StubRunwareServer server, ServiceProvider services, CapturingLoggerProvider logs)
    {
        Server = server;
        Services = services;
        Logs = logs;
        Client = services.GetRequiredService<IRunwareClient>();
    }

    public StubRunwareServer Server { get; }

    public ServiceProvider Services { get; }

    public CapturingLoggerProvider Logs { get; }

    public IRunwareClient Client { get; }

    public static async Task<RunwareHarness> StartAsync(Action<RunwareOptions>? configure = null, TimeProvider? time = null, bool withKey = true)
    {
        var server = await StubRunwareServer.StartAsync();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddRunwareClient(o =>
        {
            o.BaseUrl = server.BaseUrl;
            o.ApiKey = withKey ? ApiKey : null;
            o.MaxRetries = 3;
            o.RetryBaseDelayMs = 1;
            o.AttemptTimeoutSeconds = 10;
            o.TotalTimeoutSeconds = 30;
            o.BreakerMinimumThroughput = 1000;
            configure?.Invoke(o);
        });
        return new RunwareHarness(server, services.BuildServiceProvider(), logs);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>Runware answer entries, as the protocol shapes them.</summary>
internal static class Entries
{
    public static string Upload(string? taskUuid, string imageUuid = "11111111-2222-4333-8444-555555555555") =>
        $$"""{"taskType":"imageUpload","taskUUID":"{{taskUuid}}","imageUUID":"{{imageUuid}}","imageURL":"http://127.0.0.1/emulator/images/{{imageUuid}}.png"}""";

    public static string Processing(string taskUuid) =>
        $$"""{"taskType":"imageInference","taskUUID":"{{taskUuid}}","status":"processing"}""";

    public static string Success(string taskUuid, string imageUuid, long seed) =>
        $$"""{"taskType":"imageInference","taskUUID":"{{taskUuid}}","status":"success","imageUUID":"{{imageUuid}}","imageURL":"http://127.0.0.1/emulator/images/{{imageUuid}}.png","seed":{{seed}},"NSFWContent":false,"cost":0.0013}""";

    public static string Error(string code, string message, string? parameter = null, string? taskUuid = null) =>
        $$"""{"code":"{{code}}","message":"{{message}}"{{(parameter is null ? "" : $",\"parameter\":\"{parameter}\"")}}{{(taskUuid is null ? "" : $",\"taskUUID\":\"{taskUuid}\"")}}}""";

    public static string NotFound(string taskUuid) => Error("taskNotFound", "Task not found.", "taskUUID", taskUuid);
}
