using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FluxFunctions.Functions.Tests.HostProtocol.Rpc;
using FluxFunctions.Testing.Api;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// Stage 3: HTTP triggers through the worker's ASP.NET Core integration, the way the host drives it: the client's request
/// proxied to the worker's advertised URI with the invocation id header while the InvocationRequest carries the trigger
/// (and the durable client) — the answer is what the worker's own Kestrel sends back.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class HttpTriggerThroughWorkerTests(FunctionsHostFixture fixture) : IDisposable
{
    private readonly HttpTriggerProxy proxy = new(fixture.Host);

    [Fact]
    public async Task Health_ProxiedToTheWorker_AnswersTheClient()
    {
        using var answer = await proxy.SendAsync("Health", new HttpRequestMessage(HttpMethod.Get, new Uri("/api/health", UriKind.Relative)));

        AssertSucceeded(answer.Invocation);
        Assert.Equal(HttpStatusCode.OK, answer.Response.StatusCode);
        Assert.Equal("application/json", answer.Response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await answer.Response.Content.ReadAsStringAsync());
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain(fixture.RunwareKey, body.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_RequestWithoutTheInvocationIdHeader_IsNotServedByTheWorker()
    {
        // Without the host's correlation header the worker cannot pair the request with an invocation.
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        using var response = await client.GetAsync(new Uri(fixture.Host.HttpUri!, "/api/health"));

        Assert.False(response.IsSuccessStatusCode, $"the worker answered {(int)response.StatusCode} without an invocation");
    }

    [Fact]
    public async Task CreateEdit_PostedThroughTheWorker_IsAcceptedAndGetEditFollowsItToCompletion()
    {
        var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/edits", UriKind.Relative))
        {
            Content = ApiCase.Json($$"""{"tool":"redux","prompt":"a lighthouse posted through the worker","image":"{{ApiImages.DataUri(ApiImages.Png(256, 256))}}"}"""),
        };
        post.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var accepted = await proxy.SendAsync("CreateEdit", post, [DurableClient()]);

        AssertSucceeded(accepted.Invocation);
        var text = await accepted.Response.Content.ReadAsStringAsync();
        Assert.True(accepted.Response.StatusCode == HttpStatusCode.Accepted, $"POST /api/edits answered {(int)accepted.Response.StatusCode}: {text}");
        var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
        Assert.Equal($"/api/edits/{id}", accepted.Response.Headers.Location?.OriginalString);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? status = null;
        while (DateTime.UtcNow < deadline)
        {
            using var got = await proxy.SendAsync(
                "GetEdit",
                new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/edits/{id}", UriKind.Relative)),
                [DurableClient()],
                new Dictionary<string, TypedData> { ["id"] = HostBindingData.Text(id) });
            AssertSucceeded(got.Invocation);
            Assert.Equal(HttpStatusCode.OK, got.Response.StatusCode);
            status = JsonDocument.Parse(await got.Response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString();
            if (status is "completed" or "failed" or "canceled")
            {
                break;
            }

            await Task.Delay(300);
        }

        Assert.Equal("completed", status);
    }

    [Fact]
    public async Task GetEdit_RouteValue_IsBoundFromTheTriggerMetadataNotFromTheProxiedPath()
    {
        // The worker binds `string id` from the invocation's trigger metadata: a host must send route values there.
        const string InPath = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        const string InMetadata = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

        using var answer = await proxy.SendAsync(
            "GetEdit",
            new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/edits/{InPath}", UriKind.Relative)),
            [DurableClient()],
            new Dictionary<string, TypedData> { ["id"] = HostBindingData.Text(InMetadata) });

        AssertSucceeded(answer.Invocation);
        Assert.Equal(HttpStatusCode.NotFound, answer.Response.StatusCode);
        var detail = JsonDocument.Parse(await answer.Response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Contains(InMetadata, detail, StringComparison.Ordinal);
    }

    public void Dispose() => proxy.Dispose();

    private ParameterBinding DurableClient() => HostBindingData.Input("client", HostBindingData.DurableClient(fixture.TaskHub, fixture.DurableEndpoint));

    private void AssertSucceeded(InvocationResponse response) =>
        Assert.True(
            response.Result.Status == StatusResult.Types.Status.Success,
            $"The invocation failed: {response.Result.Exception?.Message}\n{fixture.Host.Diagnostics()}");
}
