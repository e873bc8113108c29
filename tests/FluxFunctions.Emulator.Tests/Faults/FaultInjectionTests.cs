using System.Net;
using System.Text.Json;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Faults;

/// <summary>Every fault kind, forced by the <c>x-emulator-fault</c> header or drawn by rate (protocol §4).</summary>
public sealed class FaultInjectionTests
{
    private static readonly string Photo = TestImages.DataUri(TestImages.Gradient(128, 128));

    [Fact]
    public async Task Post_Fault429_IsRateLimitedWithRetryAfterAndProcessesNothing()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.RetryAfterSeconds = 3);

        var answer = await emulator.SendAsync(Body(Upload(Photo)), Force("429"));

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), answer.Response.Headers.RetryAfter?.Delta);
        Assert.Equal("rateLimitExceeded", (string?)answer.SingleError()["code"]);
        var stats = await emulator.StatsAsync();
        Assert.Equal(0, TestEmulator.Stat(stats, "uploads"));
        Assert.Equal(1, (long)stats["faults"]!["429"]!);
    }

    [Fact]
    public async Task Post_Fault500_IsInternalServerErrorAndProcessesNothing()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev).Async();

        var answer = await emulator.SendAsync(Body(task), Force("500"));

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Equal("internalServerError", (string?)answer.SingleError()["code"]);
        Assert.Equal(0, TestEmulator.Stat(await emulator.StatsAsync(), "inferencesAccepted"));
        (await emulator.PostAsync(GetResponse(task.Uuid()))).AssertRejected("taskNotFound", "taskUUID");
    }

    [Fact]
    public async Task Post_FaultMalformed_Is200WithABodyThatDoesNotParse()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1") { Content = new StringContent(Body(Upload(Photo))) };
        request.Headers.Add("x-emulator-fault", "malformed");

        using var response = await emulator.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        Assert.Equal(0, TestEmulator.Stat(await emulator.StatsAsync(), "uploads"));
    }

    [Fact]
    public async Task Post_FaultLost_ProcessesTheTaskYetAnswers502()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev).Async();

        var answer = await emulator.SendAsync(Body(task), Force("lost"));
        var done = await emulator.PollUntilDoneAsync(task.Uuid());

        Assert.Equal(HttpStatusCode.BadGateway, answer.Status);
        Assert.Equal("badGateway", (string?)answer.SingleError()["code"]);
        Assert.Equal("success", (string?)done.SingleData()["status"]);
        Assert.Equal(1, TestEmulator.Stat(await emulator.StatsAsync(), "inferencesAccepted"));
        (await emulator.PostAsync(task)).AssertRejected("duplicateTaskUUID", "taskUUID");
    }

    [Fact]
    public async Task Post_FaultHang_HoldsUntilTheClientGivesUpAndThenEndsTheRequest()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = emulator.Emulator.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1") { Content = new StringContent(Body(Upload(Photo))) };
        request.Headers.Add("x-emulator-fault", "hang");

        // The client gives up once the emulator holds the request (a fixed 500 ms timeout could fire, on a loaded machine,
        // before the emulator had read the request and decided the fault: then no hang was ever recorded).
        using var givingUp = new CancellationTokenSource();
        var sending = client.SendAsync(request, givingUp.Token);
        await TestEmulator.EventuallyAsync(async () => (long)(await emulator.StatsAsync())["faults"]!["hang"]! == 1, "the request to hang", TimeSpan.FromSeconds(10));
        await givingUp.CancelAsync();
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => sending);

        // The server notices the disconnect and ends the request (recorded with status 499) long before HangMs (300 s).
        await TestEmulator.EventuallyAsync(async () => (await emulator.RequestsAsync()).Any(r => (string?)r!["fault"] == "hang" && (int)r["status"]! == 499),
            "the hanging request to end", TimeSpan.FromSeconds(10));
        Assert.Equal(0, TestEmulator.Stat(await emulator.StatsAsync(), "uploads"));
    }

    [Fact]
    public async Task Post_FaultHangLongerThanHangMs_AnswersTimeout()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.HangMs = 100);

        var answer = await emulator.SendAsync(Body(Upload(Photo)), Force("hang"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, answer.Status);
        Assert.Equal("timeoutProvider", (string?)answer.SingleError()["code"]);
    }

    [Fact]
    public async Task Post_UnknownFaultHeader_IsRejected()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var answer = await emulator.SendAsync(Body(Upload(Photo)), Force("teapot"));

        answer.AssertRejected("invalidEmulatorFault", "x-emulator-fault");
    }

    [Fact]
    public async Task Post_FaultRateOne_FaultsEveryRequest()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Faults = "500:1");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await emulator.PostAsync(Upload(Photo))).Status);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.InternalServerError, s));
        Assert.Equal(5, (long)(await emulator.StatsAsync())["faults"]!["500"]!);
    }

    [Fact]
    public async Task PutFaults_AtRunTime_ChangesTheRatesUntilDeleted()
    {
        await using var emulator = await TestEmulator.StartAsync();

        using var put = await emulator.Http.PutAsync(new Uri("emulator/faults", UriKind.Relative), new StringContent("""{"faults":"500:1"}"""));
        var during = (await emulator.PostAsync(Upload(Photo))).Status;
        using var get = await emulator.Http.GetAsync(new Uri("emulator/faults", UriKind.Relative));
        var current = JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement.GetProperty("faults").GetString();
        using var delete = await emulator.Http.DeleteAsync(new Uri("emulator/faults", UriKind.Relative));
        var after = (await emulator.PostAsync(Upload(Photo))).Status;

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, during);
        Assert.Equal("500:1", current);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal(1, (long)(await emulator.StatsAsync())["faults"]!["500"]!);
    }

    [Fact]
    public async Task PutFaults_InvalidPlan_Is400AndKeepsTheRates()
    {
        await using var emulator = await TestEmulator.StartAsync();

        using var put = await emulator.Http.PutAsync(new Uri("emulator/faults", UriKind.Relative), new StringContent("""{"faults":"teapot:2"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("invalidFaults", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await emulator.PostAsync(Upload(Photo))).Status);
    }

    [Fact]
    public async Task Post_SameFaultSeed_GivesTheSameFaultSequence()
    {
        var first = await FaultSequence(seed: 7);
        var second = await FaultSequence(seed: 7);

        Assert.Equal(first, second);
        Assert.Contains(HttpStatusCode.OK, first);
        Assert.Contains(HttpStatusCode.TooManyRequests, first);
        Assert.Contains(HttpStatusCode.InternalServerError, first);
    }

    private static async Task<List<HttpStatusCode>> FaultSequence(int seed)
    {
        await using var emulator = await TestEmulator.StartAsync(o =>
        {
            o.Faults = "429:0.3,500:0.3";
            o.Seed = seed;
        });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add((await emulator.PostAsync(Upload(Photo))).Status);
        }

        return statuses;
    }

    private static string Body(System.Text.Json.Nodes.JsonObject task) => "[" + task.ToJsonString() + "]";

    private static Action<HttpRequestMessage> Force(string fault) => request => request.Headers.Add("x-emulator-fault", fault);
}
