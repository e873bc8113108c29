using System.Threading.Channels;
using FluxFunctions.Functions.Tests.HostProtocol.Rpc;
using Grpc.Core;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// The host's side of <c>FunctionRpc.EventStream</c>: each stream a worker opens becomes a <see cref="WorkerConnection"/>
/// handed to whoever waits in <see cref="WorkerProtocolServer.AcceptAsync"/>; the call stays open until the worker ends it
/// or the server stops.
/// </summary>
internal sealed class FunctionRpcService(Channel<WorkerConnection> accepted) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        var connection = new WorkerConnection(responseStream);
        await accepted.Writer.WriteAsync(connection, context.CancellationToken).ConfigureAwait(false);
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
            {
                connection.Receive(requestStream.Current);
            }
        }
        catch (OperationCanceledException)
        {
            // The server is stopping or the worker went away.
        }
        catch (IOException)
        {
            // The worker process was killed mid-stream.
        }
        finally
        {
            connection.Complete();
        }
    }
}
