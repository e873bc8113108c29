using FluxFunctions.Functions.Tests.HostProtocol.Rpc;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// What the host does for an HTTP trigger of a worker that advertises <c>HttpUri</c>: it forwards the client's request to
/// that URI (same path and query) with the invocation id in <c>x-ms-invocation-id</c>, and at the same time sends the
/// InvocationRequest, whose HTTP trigger input is an empty <c>RpcHttp</c> (route values travel as trigger metadata).
/// The worker's ASP.NET Core integration pairs the two by the id; the client's answer is the forwarded response.
/// </summary>
public sealed class HttpTriggerProxy(FunctionsHostStandIn host) : IDisposable
{
    /// <summary>The correlation header the host adds to a proxied request.</summary>
    public const string InvocationIdHeader = "x-ms-invocation-id";

    private readonly HttpClient client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Forwards <paramref name="request"/> (a relative URI, e.g. <c>/api/health</c>) to <paramref name="functionName"/>.</summary>
    public async Task<ProxiedAnswer> SendAsync(
        string functionName,
        HttpRequestMessage request,
        IEnumerable<ParameterBinding>? otherInputs = null,
        IReadOnlyDictionary<string, TypedData>? routeValues = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = timeout ?? TimeSpan.FromSeconds(45);
        var baseUri = host.HttpUri ?? throw new InvalidOperationException("The worker advertised no HttpUri capability: the host would not proxy.");
        var function = host.Function(functionName);
        var invocationId = Guid.NewGuid().ToString();

        request.RequestUri = new Uri(baseUri, request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request)));
        request.Headers.TryAddWithoutValidation(InvocationIdHeader, invocationId);

        using var cts = new CancellationTokenSource(limit);
        var forwarded = client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cts.Token);
        var inputs = new List<ParameterBinding> { HostBindingData.Input(function.Trigger.Name, new TypedData { Http = new RpcHttp() }) };
        inputs.AddRange(otherInputs ?? []);
        var invocation = host.InvokeAsync(functionName, inputs, routeValues, limit, invocationId);

        InvocationResponse response;
        try
        {
            response = await invocation.ConfigureAwait(false);
        }
        catch
        {
            await cts.CancelAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            return new ProxiedAnswer(await forwarded.ConfigureAwait(false), response);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"The worker did not answer the proxied {request.Method} {request.RequestUri} within {limit.TotalSeconds:0} s (invocation {response.Result?.Status}).");
        }
    }

    public void Dispose() => client.Dispose();
}

/// <summary>The client's answer and the worker's invocation response of one proxied HTTP trigger call.</summary>
public sealed record ProxiedAnswer(HttpResponseMessage Response, InvocationResponse Invocation) : IDisposable
{
    public void Dispose() => Response.Dispose();
}
