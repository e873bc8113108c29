using System.Collections.Concurrent;
using System.Threading.Channels;
using FluxFunctions.Functions.Tests.HostProtocol.Rpc;
using Grpc.Core;
using MsgCase = FluxFunctions.Functions.Tests.HostProtocol.Rpc.StreamingMessage.ContentOneofCase;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// One worker's EventStream as the host sees it: writes are serialised (a gRPC stream takes one write at a time),
/// invocation and load responses are matched to their requests by id, logs are kept, and anything else waits in a
/// queue per message kind for <see cref="NextAsync"/>.
/// </summary>
public sealed class WorkerConnection
{
    private const int MaxLogs = 2000;

    private readonly IServerStreamWriter<StreamingMessage> writer;
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly ConcurrentDictionary<MsgCase, Channel<StreamingMessage>> queues = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> invocations = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> loads = new();
    private readonly ConcurrentQueue<RpcLog> logs = new();
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal WorkerConnection(IServerStreamWriter<StreamingMessage> writer) => this.writer = writer;

    /// <summary>Completes when the worker's stream ends.</summary>
    public Task Closed => closed.Task;

    /// <summary>What the worker logged over the stream so far (the last <see cref="MaxLogs"/>).</summary>
    public IReadOnlyCollection<RpcLog> Logs => logs;

    public async Task SendAsync(StreamingMessage message, CancellationToken cancellationToken = default)
    {
        await writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>The next message of <paramref name="kind"/> the worker sends (or one it sent already and nobody took).</summary>
    public async Task<StreamingMessage> NextAsync(MsgCase kind, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await Queue(kind).Reader.ReadAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The worker sent no {kind} within {timeout.TotalSeconds:0} s.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The worker closed its stream before sending {kind}.");
        }
    }

    /// <summary>Sends an invocation and waits for the worker's response to it.</summary>
    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pending = invocations.GetOrAdd(request.InvocationId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        await SendAsync(new StreamingMessage { InvocationRequest = request }).ConfigureAwait(false);
        return await WaitAsync(pending.Task, timeout, $"the response to invocation {request.InvocationId}").ConfigureAwait(false);
    }

    /// <summary>Sends a load request and waits for the worker's response to it.</summary>
    public async Task<FunctionLoadResponse> LoadAsync(FunctionLoadRequest request, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pending = loads.GetOrAdd(request.FunctionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        await SendAsync(new StreamingMessage { FunctionLoadRequest = request }).ConfigureAwait(false);
        return await WaitAsync(pending.Task, timeout, $"the load response of {request.Metadata?.Name}").ConfigureAwait(false);
    }

    internal void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case MsgCase.RpcLog:
                logs.Enqueue(message.RpcLog);
                while (logs.Count > MaxLogs && logs.TryDequeue(out _))
                {
                }

                break;
            case MsgCase.InvocationResponse:
                invocations.GetOrAdd(message.InvocationResponse.InvocationId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message.InvocationResponse);
                break;
            case MsgCase.FunctionLoadResponse:
                loads.GetOrAdd(message.FunctionLoadResponse.FunctionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message.FunctionLoadResponse);
                break;
            default:
                Queue(message.ContentCase).Writer.TryWrite(message);
                break;
        }
    }

    internal void Complete()
    {
        foreach (var queue in queues.Values)
        {
            queue.Writer.TryComplete();
        }

        var gone = new InvalidOperationException("The worker closed its stream.");
        foreach (var pending in invocations.Values)
        {
            pending.TrySetException(gone);
        }

        foreach (var pending in loads.Values)
        {
            pending.TrySetException(gone);
        }

        closed.TrySetResult();
    }

    private static async Task<T> WaitAsync<T>(Task<T> task, TimeSpan timeout, string what)
    {
        try
        {
            return await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The worker sent no {what} within {timeout.TotalSeconds:0} s.");
        }
    }

    private Channel<StreamingMessage> Queue(MsgCase kind) => queues.GetOrAdd(kind, _ => Channel.CreateUnbounded<StreamingMessage>());
}
