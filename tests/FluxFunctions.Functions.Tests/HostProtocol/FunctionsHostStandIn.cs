using System.Diagnostics;
using FluxFunctions.Functions.Tests.HostProtocol.Rpc;
using FluxFunctions.Testing;
using Google.Protobuf.WellKnownTypes;
using MsgCase = FluxFunctions.Functions.Tests.HostProtocol.Rpc.StreamingMessage.ContentOneofCase;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// A stand-in for the Azure Functions host's side of the worker protocol. It starts the built worker process the way
/// the host does, serves its event stream, and runs the host's start-up sequence for a worker that indexes its own
/// functions: StartStream → WorkerInitRequest/Response → FunctionsMetadataRequest/FunctionMetadataResponse → one
/// FunctionLoadRequest per function. Then it sends invocations with the binding data a host would send, so triggers run
/// through the worker's real middleware and input converters. See README.md beside it for what the real host does more.
/// </summary>
public sealed class FunctionsHostStandIn : IAsyncDisposable
{
    /// <summary>The host version the stand-in announces (a Functions v4 host).</summary>
    public const string HostVersion = "4.1037.0.0";

    private readonly WorkerProtocolServer server = new();
    private WorkerProcess? process;
    private WorkerConnection? connection;

    private FunctionsHostStandIn(WorkerLaunch launch) => Launch = launch;

    public WorkerLaunch Launch { get; }

    public WorkerConfig Config { get; private set; } = null!;

    public WorkerInitResponse InitResponse { get; private set; } = null!;

    public FunctionMetadataResponse MetadataResponse { get; private set; } = null!;

    public IReadOnlyList<IndexedFunction> Functions { get; private set; } = [];

    public IReadOnlyDictionary<string, FunctionLoadResponse> LoadResponses { get; private set; } = new Dictionary<string, FunctionLoadResponse>();

    public WorkerConnection Connection => connection ?? throw new InvalidOperationException("No worker is connected.");

    /// <summary>The worker's ASP.NET Core endpoint the host proxies HTTP triggers to (capability <c>HttpUri</c>), if any.</summary>
    public Uri? HttpUri => InitResponse.Capabilities.TryGetValue("HttpUri", out var uri) && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed : null;

    /// <summary>Starts the worker and brings it to the point where every function is loaded (or refused).</summary>
    public static async Task<FunctionsHostStandIn> StartAsync(WorkerLaunch launch, TimeSpan timeout)
    {
        var host = new FunctionsHostStandIn(launch);
        try
        {
            await host.StartCoreAsync(timeout).ConfigureAwait(false);
            return host;
        }
        catch (Exception ex)
        {
            var diagnostics = host.Diagnostics();
            await host.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The stand-in host could not start the worker: {ex.Message}\n{diagnostics}", ex);
        }
    }

    public IndexedFunction Function(string name) =>
        Functions.SingleOrDefault(f => f.Name == name) ?? throw new InvalidOperationException($"The worker indexed no function '{name}'.");

    /// <summary>Invokes <paramref name="functionName"/> with the given input bindings and trigger metadata.</summary>
    public Task<InvocationResponse> InvokeAsync(
        string functionName,
        IEnumerable<ParameterBinding> inputs,
        IReadOnlyDictionary<string, TypedData>? triggerMetadata,
        TimeSpan timeout,
        string? invocationId = null)
    {
        var request = new InvocationRequest
        {
            InvocationId = invocationId ?? Guid.NewGuid().ToString(),
            FunctionId = Function(functionName).FunctionId,
            TraceContext = new RpcTraceContext { TraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01" },
        };
        request.InputData.Add(inputs);
        foreach (var (key, value) in triggerMetadata ?? new Dictionary<string, TypedData>())
        {
            request.TriggerMetadata.Add(key, value);
        }

        return Connection.InvokeAsync(request, timeout);
    }

    /// <summary>The worker's last log lines (over the stream and on its console), for failure messages.</summary>
    public string Diagnostics(int lines = 40)
    {
        var logs = connection?.Logs.TakeLast(lines).Select(l => $"[{l.Level}] {l.Category}: {l.Message}{(l.Exception is null ? "" : " | " + l.Exception.Message)}") ?? [];
        return $"worker logs (stream):\n{string.Join('\n', logs)}\nworker console:\n{string.Join('\n', (process?.Output ?? "").Split('\n').TakeLast(lines))}";
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null && process is not null && !process.Exited.IsCompleted)
        {
            try
            {
                // WorkerTerminate first, as the host does; the process is killed regardless below.
                await connection.SendAsync(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)) } }).ConfigureAwait(false);
                await process.Exited.WaitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or IOException or OperationCanceledException)
            {
                // Killed below.
            }
        }

        process?.Dispose();
        await server.DisposeAsync().ConfigureAwait(false);
    }

    private async Task StartCoreAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        TimeSpan Left() => timeout - deadline.Elapsed > TimeSpan.Zero ? timeout - deadline.Elapsed : TimeSpan.FromMilliseconds(1);

        Config = WorkerConfig.Read(Launch.AppDirectory);
        await server.StartAsync().ConfigureAwait(false);
        process = WorkerProcess.Start(Launch, Config, server.Address);
        connection = await server.AcceptAsync(Left(), process.Exited).ConfigureAwait(false);

        var start = (await connection.NextAsync(MsgCase.StartStream, Left()).ConfigureAwait(false)).StartStream;
        if (start.WorkerId != Launch.WorkerId)
        {
            throw new InvalidOperationException($"The worker announced id '{start.WorkerId}', not the '{Launch.WorkerId}' it was started with.");
        }

        var init = new WorkerInitRequest
        {
            HostVersion = HostVersion,
            WorkerDirectory = Launch.AppDirectory,
            FunctionAppDirectory = Launch.AppDirectory,
        };
        init.Capabilities.Add("MultiStream", "10");
        await connection.SendAsync(new StreamingMessage { RequestId = Launch.RequestId, WorkerInitRequest = init }).ConfigureAwait(false);
        InitResponse = (await connection.NextAsync(MsgCase.WorkerInitResponse, Left()).ConfigureAwait(false)).WorkerInitResponse;
        if (InitResponse.Result?.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"The worker failed to initialise: {InitResponse.Result?.Exception?.Message}");
        }

        if (!Config.WorkerIndexing)
        {
            throw new NotSupportedException("worker.config.json does not enable worker indexing: the host would index functions.metadata itself, which the stand-in does not do.");
        }

        await connection.SendAsync(new StreamingMessage
        {
            RequestId = Launch.RequestId,
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = Launch.AppDirectory },
        }).ConfigureAwait(false);
        MetadataResponse = (await connection.NextAsync(MsgCase.FunctionMetadataResponse, Left()).ConfigureAwait(false)).FunctionMetadataResponse;
        Functions = MetadataResponse.FunctionMetadataResults.Select(IndexedFunction.From).ToList();

        var loads = new Dictionary<string, FunctionLoadResponse>(StringComparer.Ordinal);
        foreach (var function in Functions)
        {
            loads[function.Name] = await connection.LoadAsync(function.ToLoadRequest(), Left()).ConfigureAwait(false);
        }

        LoadResponses = loads;
        if (HttpUri is { } uri)
        {
            await WaitUntilListeningAsync(uri, Left()).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The worker advertises <c>HttpUri</c> in its init response while its Kestrel may still be starting; the host covers
    /// that by retrying a proxied request whose connection fails (its <c>RetryProxyHandler</c>). The stand-in waits for the
    /// port to accept instead, so no test reaches the worker before its HTTP server listens.
    /// </summary>
    private async Task WaitUntilListeningAsync(Uri uri, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await FreePort.AcceptsAsync(uri.Port, uri.Host, cts.Token).ConfigureAwait(false))
        {
            if (process!.Exited.IsCompleted)
            {
                throw new InvalidOperationException($"The worker exited before it listened on {uri}.");
            }

            await Task.Delay(50, cts.Token).ConfigureAwait(false);
        }
    }
}
