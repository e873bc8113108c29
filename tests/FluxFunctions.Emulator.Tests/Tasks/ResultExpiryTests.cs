using System.Net;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Tasks;

/// <summary>Results expire: the task's <c>ttl</c> for URL results, else <c>Emulator:ResultTtlSeconds</c>.</summary>
public sealed class ResultExpiryTests
{
    [Fact]
    public async Task Result_PastResultTtlSeconds_Answers404AndGetResponseReportsItExpired()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ResultTtlSeconds = 1);
        var task = Inference(Dev, 128).Async();
        (await emulator.PostAsync(task)).AssertOk();
        var url = (string)(await emulator.PollUntilDoneAsync(task.Uuid())).SingleData()["imageURL"]!;
        await emulator.GetImageAsync(url);

        await Task.Delay(1200);
        using var expired = await emulator.Http.GetAsync(new Uri(url));
        var poll = await emulator.PostAsync(GetResponse(task.Uuid()));

        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        var body = JsonNode.Parse(await expired.Content.ReadAsStringAsync())!;
        Assert.Equal("resultExpired", (string?)body["errors"]![0]!["code"]);
        Assert.Equal(HttpStatusCode.OK, poll.Status);
        Assert.Empty(poll.Data);
        var error = poll.SingleError();
        Assert.Equal("resultExpired", (string?)error["code"]);
        Assert.Equal("error", (string?)error["status"]);
        Assert.Equal(task.Uuid(), (string?)error["taskUUID"]);
    }

    [Fact]
    public async Task Result_WithTtlLongerThanTheDefault_OutlivesIt()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ResultTtlSeconds = 1);
        var task = Inference(Dev, 128);
        task["ttl"] = 60;
        var url = (string)(await emulator.PostAsync(task)).SingleData()["imageURL"]!;

        await Task.Delay(1200);

        await emulator.GetImageAsync(url);
        Assert.Equal("success", (string?)(await emulator.PostAsync(GetResponse(task.Uuid()))).SingleData()["status"]);
    }

    [Fact]
    public async Task Result_Base64WithTtl_UsesTheDefaultBecauseTtlAppliesToUrlsOnly()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ResultTtlSeconds = 1);
        var task = Inference(Dev, 128);
        task["ttl"] = 60;
        task["outputType"] = "base64Data";
        (await emulator.PostAsync(task)).AssertOk();

        await Task.Delay(1200);

        Assert.Equal("resultExpired", (string?)(await emulator.PostAsync(GetResponse(task.Uuid()))).SingleError()["code"]);
    }

    [Fact]
    public async Task Result_WithinItsTtl_IsServed()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ResultTtlSeconds = 30);
        var task = Inference(Dev, 128);

        var url = (string)(await emulator.PostAsync(task)).SingleData()["imageURL"]!;

        await emulator.GetImageAsync(url);
    }

    [Theory]
    [InlineData("59")]
    [InlineData("\"60\"")]
    [InlineData("60.5")]
    public async Task Ttl_BelowSixtyOrNotAnInteger_IsRejected(string ttl)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128);
        task["ttl"] = JsonNode.Parse(ttl);

        (await emulator.PostAsync(task)).AssertRejected("invalidTtl", "ttl");
    }
}
