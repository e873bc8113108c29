using System.Collections.Concurrent;
using System.Text.Json;
using FluxFunctions.Functions.Tests.HostProtocol.Rpc;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using P = Microsoft.DurableTask.Protobuf;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// The Durable extension's out-of-process ("middleware passthrough") dispatch, in the stand-in: work items of a durable
/// engine become invocations of the worker's functions, and the worker's results go back to the engine.
/// <list type="bullet">
/// <item>orchestrator: the trigger input is a string, base64 of an <c>OrchestratorRequest</c> (instance id, past and new
/// events), no trigger metadata; the function's return value is base64 of the <c>OrchestratorResponse</c>;</item>
/// <item>activity: the trigger input is the activity's serialized input as a string, trigger metadata <c>instanceId</c>,
/// the parameter's name and <c>data</c> (the input as JSON); the return value is the serialized output.</item>
/// </list>
/// </summary>
public sealed class DurableTriggerBridge : IAsyncDisposable
{
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromSeconds(60);

    private readonly FunctionsHostStandIn host;
    private readonly GrpcChannel channel;
    private readonly P.TaskHubSidecarService.TaskHubSidecarServiceClient engine;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<string> invoked = new();
    private readonly ConcurrentQueue<string> errors = new();
    private readonly ConcurrentDictionary<Task, byte> running = new();
    private Task? loop;

    public DurableTriggerBridge(FunctionsHostStandIn host, Uri engineAddress)
    {
        this.host = host;
        channel = GrpcChannel.ForAddress(engineAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        engine = new P.TaskHubSidecarService.TaskHubSidecarServiceClient(channel);
    }

    /// <summary>The functions invoked so far, in order ("EditOrchestrator", "PrepareInputs", …).</summary>
    public IReadOnlyCollection<string> Invoked => invoked;

    /// <summary>Invocations the worker failed or the engine refused, with their messages.</summary>
    public IReadOnlyCollection<string> Errors => errors;

    public void Start() => loop = PumpAsync(stopping.Token);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await (loop ?? Task.CompletedTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(running.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        channel.Dispose();
        stopping.Dispose();
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var call = engine.GetWorkItems(new P.GetWorkItemsRequest { MaxConcurrentOrchestrationWorkItems = 4, MaxConcurrentActivityWorkItems = 8 }, cancellationToken: cancellationToken);
                await foreach (var item in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    var task = Task.Run(() => HandleAsync(item, cancellationToken), CancellationToken.None);
                    running.TryAdd(task, 0);
                    _ = task.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || (ex is Grpc.Core.RpcException { StatusCode: StatusCode.Cancelled } && cancellationToken.IsCancellationRequested))
            {
                return;
            }
            catch (Grpc.Core.RpcException)
            {
                // The engine is not listening yet, or restarted: connect again.
                await Task.Delay(200, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task HandleAsync(P.WorkItem item, CancellationToken cancellationToken)
    {
        try
        {
            switch (item.RequestCase)
            {
                case P.WorkItem.RequestOneofCase.OrchestratorRequest:
                    await RunOrchestratorAsync(item.OrchestratorRequest, item.CompletionToken, cancellationToken).ConfigureAwait(false);
                    break;
                case P.WorkItem.RequestOneofCase.ActivityRequest:
                    await RunActivityAsync(item.ActivityRequest, item.CompletionToken, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    // Health pings and entity work: the app has no entities.
                    break;
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Enqueue($"{item.RequestCase}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task RunOrchestratorAsync(P.OrchestratorRequest work, string completionToken, CancellationToken cancellationToken)
    {
        var name = work.PastEvents.Concat(work.NewEvents).Select(e => e.ExecutionStarted).FirstOrDefault(e => e is not null)?.Name
            ?? throw new InvalidOperationException($"Orchestration {work.InstanceId} has no ExecutionStarted event.");
        var function = host.Function(name);

        // What the Durable extension sends: instance id, past and new events, entity parameters; nothing else.
        var request = new P.OrchestratorRequest { InstanceId = work.InstanceId, EntityParameters = work.EntityParameters };
        request.PastEvents.Add(work.PastEvents);
        request.NewEvents.Add(work.NewEvents);
        invoked.Enqueue(name);
        var response = await host.InvokeAsync(
            name,
            [HostBindingData.Input(function.Trigger.Name, HostBindingData.Text(Convert.ToBase64String(request.ToByteArray())))],
            null,
            InvocationTimeout).ConfigureAwait(false);
        if (response.Result.Status != StatusResult.Types.Status.Success || string.IsNullOrEmpty(response.ReturnValue?.String))
        {
            throw new InvalidOperationException($"orchestrator {name} ({work.InstanceId}) failed: {response.Result.Exception?.Message ?? "no base64 OrchestratorResponse returned"}");
        }

        var result = P.OrchestratorResponse.Parser.ParseFrom(Convert.FromBase64String(response.ReturnValue.String));
        result.CompletionToken = completionToken;
        await engine.CompleteOrchestratorTaskAsync(result, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task RunActivityAsync(P.ActivityRequest work, string completionToken, CancellationToken cancellationToken)
    {
        var function = host.Function(work.Name);
        var trigger = function.Trigger.Name;
        var raw = UnwrapInput(work.Input);
        var input = raw is null ? new TypedData() : HostBindingData.Text(raw);
        var metadata = new Dictionary<string, TypedData>
        {
            ["instanceId"] = HostBindingData.Text(work.OrchestrationInstance.InstanceId),
            [trigger] = input,
            ["data"] = new TypedData { Json = raw ?? "null" },
        };
        invoked.Enqueue(work.Name);
        var response = await host.InvokeAsync(work.Name, [HostBindingData.Input(trigger, input)], metadata, InvocationTimeout).ConfigureAwait(false);

        var result = new P.ActivityResponse
        {
            InstanceId = work.OrchestrationInstance.InstanceId,
            TaskId = work.TaskId,
            CompletionToken = completionToken,
        };
        if (response.Result.Status == StatusResult.Types.Status.Success)
        {
            result.Result = response.ReturnValue?.DataCase switch
            {
                TypedData.DataOneofCase.Json => response.ReturnValue.Json,
                TypedData.DataOneofCase.String => JsonSerializer.Serialize(response.ReturnValue.String),
                TypedData.DataOneofCase.Int => response.ReturnValue.Int.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
        }
        else
        {
            var sent = raw is null ? "(none)" : raw[..Math.Min(raw.Length, 120)];
            errors.Enqueue($"activity {work.Name} ({work.OrchestrationInstance.InstanceId}) with input {sent} failed: {response.Result.Exception?.Message}");
            result.FailureDetails = new P.TaskFailureDetails
            {
                ErrorType = response.Result.Exception?.Type ?? "(unknown)",
                ErrorMessage = response.Result.Exception?.Message ?? "",
                StackTrace = response.Result.Exception?.StackTrace,
            };
        }

        await engine.CompleteActivityTaskAsync(result, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// DTFx stores an activity's input as a one-element JSON array; for a dotnet-isolated app the Durable extension
    /// unwraps it and passes the element's JSON (DurableActivityContext: inputsAreArrays, rawInput).
    /// </summary>
    internal static string? UnwrapInput(string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        if (System.Text.Json.Nodes.JsonNode.Parse(stored) is not System.Text.Json.Nodes.JsonArray { Count: 1 } array)
        {
            throw new ArgumentException($"The stored activity input is expected to be an array with one element: {stored[..Math.Min(stored.Length, 80)]}");
        }

        return array[0]?.ToJsonString() ?? "null";
    }
}
