using System.Net;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Faults;

/// <summary>Permanent account errors: faults 402/403 for a whole request, triggers for one imageInference.</summary>
public sealed class AccountErrorTests
{
    [Theory]
    [InlineData("402", HttpStatusCode.PaymentRequired, "insufficientCredits", "credit")]
    [InlineData("403", HttpStatusCode.Forbidden, "accessDenied", "API key")]
    public async Task Post_AccountFaultHeader_AnswersTheAccountErrorAndProcessesNothing(string fault, HttpStatusCode status, string code, string named)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128).Async();

        var answer = await emulator.SendAsync(new JsonArray(task).ToJsonString(), r => r.Headers.Add("x-emulator-fault", fault));

        Assert.Equal(status, answer.Status);
        var error = answer.SingleError();
        Assert.Equal(code, (string?)error["code"]);
        Assert.Contains(named, (string)error["message"]!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("https://runware.ai/docs/platform/errors", (string?)error["documentation"]);
        var stats = await emulator.StatsAsync();
        Assert.Equal(0, TestEmulator.Stat(stats, "inferencesAccepted"));
        Assert.Equal(1, (long)stats["faults"]![fault]!);
        (await emulator.PostAsync(task)).AssertOk();
    }

    [Fact]
    public async Task Post_AccountFaultByRate_AnswersEveryRequest()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.Faults = "402:0.5,403:0.5");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await emulator.PostAsync(Inference(Dev, 128))).Status);
        }

        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.PaymentRequired, HttpStatusCode.Forbidden }));
    }

    [Theory]
    [InlineData("emulator:no-credit", HttpStatusCode.PaymentRequired, "insufficientCredits")]
    [InlineData("emulator:forbidden", HttpStatusCode.Forbidden, "accessDenied")]
    public async Task ImageInference_AccountTrigger_IsRejectedWithTheAccountErrorOfTheTask(string trigger, HttpStatusCode status, string code)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128).Async();
        task["positivePrompt"] = $"please {trigger}";

        var answer = await emulator.PostAsync(task);

        Assert.Equal(status, answer.Status);
        var error = answer.SingleError();
        Assert.Equal(code, (string?)error["code"]);
        Assert.Equal("imageInference", (string?)error["taskType"]);
        Assert.Equal(task.Uuid(), (string?)error["taskUUID"]);
        Assert.Equal(0, await emulator.StatAsync("inferencesAccepted"));
        task["positivePrompt"] = "with credit again";
        (await emulator.PostAsync(task)).AssertOk();
    }

    [Fact]
    public async Task Post_AccountTriggerBesideAnUpload_StillAnswers402AndRunsTheUpload()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128);
        task["positivePrompt"] = "emulator:no-credit";

        var answer = await emulator.PostAsync(Upload(TestImages.DataUri(TestImages.Gradient(128, 128))), task);

        Assert.Equal(HttpStatusCode.PaymentRequired, answer.Status);
        Assert.Single(answer.Data);
        Assert.Equal(1, await emulator.StatAsync("uploads"));
    }
}
