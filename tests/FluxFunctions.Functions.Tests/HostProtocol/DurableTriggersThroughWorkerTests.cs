using System.Net;
using System.Text.Json;
using FluxFunctions.Functions.Tests.HostProtocol.Rpc;
using FluxFunctions.Testing.Api;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// Stage 4: a whole job through the Functions worker's own orchestrator and activity functions. The stand-in plays the
/// Durable extension too: a durable engine of its own (no other worker attached) whose work items
/// <see cref="DurableTriggerBridge"/> turns into orchestrationTrigger / activityTrigger invocations of the worker.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class DurableTriggersThroughWorkerTests(FunctionsHostFixture fixture) : IDisposable
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpTriggerProxy proxy = new(fixture.Host);

    [Fact]
    public async Task EditJob_OrchestratorAndActivitiesRunInTheWorker_CompletesWithItsImage()
    {
        await using var engine = await DurableEngineOnTcp.StartAsync(fixture.Azurite.ConnectionString);
        await using var bridge = new DurableTriggerBridge(fixture.Host, engine.Address);
        bridge.Start();
        var client = HostBindingData.Input("client", HostBindingData.DurableClient(engine.TaskHub, engine.Address));
        const string prompt = "a windmill run by the worker's own orchestrator";

        using var accepted = await proxy.SendAsync("CreateEdit", new HttpRequestMessage(HttpMethod.Post, new Uri("/api/edits", UriKind.Relative))
        {
            Content = ApiCase.Json($$"""{"tool":"redux","prompt":"{{prompt}}","image":"{{ApiImages.DataUri(ApiImages.Png(256, 256))}}"}"""),
        }, [client]);
        var acceptedText = await accepted.Response.Content.ReadAsStringAsync();
        Assert.True(accepted.Response.StatusCode == HttpStatusCode.Accepted, $"POST /api/edits answered {(int)accepted.Response.StatusCode}: {acceptedText}");
        var id = JsonDocument.Parse(acceptedText).RootElement.GetProperty("id").GetString()!;

        var final = await WaitForFinalAsync(id, client, bridge);

        Assert.True(bridge.Errors.Count == 0, "bridge errors:\n" + string.Join('\n', bridge.Errors));
        Assert.True(final.GetProperty("status").GetString() == "completed", $"job {id} ended as {final}\ninvoked: {string.Join(", ", bridge.Invoked)}");
        Assert.Contains("EditOrchestrator", bridge.Invoked);
        // PrepareInputs makes the first inference attempt itself when a slot is free, watches it and, having seen the
        // result within the watch, stores it and writes the manifest too: the job is one activity.
        Assert.Equal(["EditOrchestrator", "PrepareInputs", "EditOrchestrator"], bridge.Invoked);

        Assert.Equal(1, (await fixture.RunwareTasksAsync()).Count(t => (string?)t["positivePrompt"] == prompt && (string?)t["taskType"] == "imageInference"));
        using var image = await proxy.SendAsync(
            "GetEditOutput",
            new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/edits/{id}/outputs/0", UriKind.Relative)),
            [client],
            new Dictionary<string, TypedData> { ["id"] = HostBindingData.Text(id), ["index"] = HostBindingData.Text("0") });
        Assert.Equal(HttpStatusCode.OK, image.Response.StatusCode);
        Assert.Equal("image/png", image.Response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Activity_InputStillInTheArrayDurableTaskStoresIt_FailsTheConversion()
    {
        // The bridge unwraps DTFx's one-element array as the Durable extension does; the worker must refuse the raw form.
        var wrapped = """[{"Job":null,"FinalCompanionCheck":false}]""";
        var response = await fixture.Host.InvokeAsync(
            "PrepareInputs",
            [HostBindingData.Input("input", HostBindingData.Text(wrapped))],
            new Dictionary<string, TypedData> { ["instanceId"] = HostBindingData.Text("no-such-job") },
            TimeSpan.FromSeconds(30));

        Assert.Equal(StatusResult.Types.Status.Failure, response.Result.Status);
        Assert.Contains("Failed to deserialize input for activity function 'PrepareInputs'", response.Result.Exception.Message, StringComparison.Ordinal);
        Assert.Equal("""{"Job":null,"FinalCompanionCheck":false}""", DurableTriggerBridge.UnwrapInput(wrapped));
    }

    public void Dispose() => proxy.Dispose();

    private async Task<JsonElement> WaitForFinalAsync(string id, ParameterBinding client, DurableTriggerBridge bridge)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        JsonElement status = default;
        while (DateTime.UtcNow < deadline && bridge.Errors.Count == 0)
        {
            using var got = await proxy.SendAsync(
                "GetEdit",
                new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/edits/{id}", UriKind.Relative)),
                [client],
                new Dictionary<string, TypedData> { ["id"] = HostBindingData.Text(id) });
            status = JsonDocument.Parse(await got.Response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (status.GetProperty("status").GetString() is "completed" or "failed" or "canceled")
            {
                return status;
            }

            await Task.Delay(300);
        }

        return status;
    }
}
