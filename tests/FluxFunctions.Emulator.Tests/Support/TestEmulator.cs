using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Configuration;

namespace FluxFunctions.Emulator.Tests.Support;

/// <summary>An emulator started in-process on a free loopback port, with an HttpClient talking to it.</summary>
public sealed class TestEmulator : IAsyncDisposable
{
    private TestEmulator(RunningEmulator emulator)
    {
        Emulator = emulator;
        Http = new HttpClient { BaseAddress = emulator.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public RunningEmulator Emulator { get; }

    public HttpClient Http { get; }

    public static async Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null) =>
        new(await EmulatorApp.StartAsync(configure: configure));

    /// <summary>POSTs the tasks as a JSON array to /v1.</summary>
    public Task<ApiAnswer> PostAsync(params JsonObject[] tasks) =>
        SendAsync("[" + string.Join(",", tasks.Select(t => t.ToJsonString())) + "]");

    /// <summary>POSTs a raw body to /v1.</summary>
    public async Task<ApiAnswer> SendAsync(string body, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        configure?.Invoke(request);
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var parsed = JsonNode.Parse(text) as JsonObject;
        Assert.True(parsed is not null, $"answer is not a JSON object: {text}");
        return new ApiAnswer(response.StatusCode, parsed!, response);
    }

    public async Task<JsonObject> StatsAsync() =>
        (JsonObject)JsonNode.Parse(await Http.GetStringAsync("emulator/stats"))!;

    public async Task<JsonArray> RequestsAsync() =>
        (JsonArray)JsonNode.Parse(await Http.GetStringAsync("emulator/requests"))!;

    public static long Stat(JsonObject stats, string name) => (long)stats[name]!;

    /// <summary>One counter of GET /emulator/stats now.</summary>
    public async Task<long> StatAsync(string name) => Stat(await StatsAsync(), name);

    /// <summary>Downloads an image URL, asserting success and returning bytes and content type.</summary>
    public async Task<(byte[] Bytes, string? ContentType)> GetImageAsync(string url)
    {
        using var response = await Http.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Uploads a PNG and returns its imageUUID.</summary>
    public async Task<string> UploadAsync(byte[] png)
    {
        var answer = await PostAsync(RunwareTasks.Upload(TestImages.DataUri(png)));
        answer.AssertOk();
        return (string)answer.SingleData()["imageUUID"]!;
    }

    /// <summary>Runs one sync task that must succeed and returns the bytes of its first image.</summary>
    public async Task<byte[]> RenderAsync(JsonObject task)
    {
        var answer = await PostAsync(task);
        answer.AssertOk();
        return (await GetImageAsync((string)answer.Data[0]!["imageURL"]!)).Bytes;
    }

    /// <summary>Polls getResponse until no generation is processing (bounded), returning the last answer.</summary>
    public async Task<ApiAnswer> PollUntilDoneAsync(string taskUuid, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var answer = await PostAsync(RunwareTasks.GetResponse(taskUuid));
            var processing = answer.Data.OfType<JsonObject>().Any(d => (string?)d["status"] == "processing");
            if (!processing || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until a condition on the emulator holds (bounded); for effects that happen in the background.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>A default emulator shared by the tests of one class.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private TestEmulator? emulator;

    public TestEmulator Emulator => emulator ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => emulator = await TestEmulator.StartAsync();

    public async Task DisposeAsync()
    {
        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }
    }
}
