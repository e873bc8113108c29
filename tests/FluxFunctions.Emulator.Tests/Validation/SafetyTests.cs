using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Validation;

/// <summary>
/// Runware's <c>safety</c> object and the emulator's content check switch: <c>NSFWContent</c> only when the task carries
/// <c>safety</c>; with <c>FlagEvery</c> 2 the results whose seed + 1 is even are flagged, whatever the order; the
/// <c>error</c> dialect refuses them instead; the switch changes at run time; bad <c>safety</c> fields are refused.
/// </summary>
public sealed class SafetyTests
{
    [Fact]
    public async Task Inference_FlagEveryTwo_FlagsEverySecondSeedOnlyWhenSafetyIsAsked()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.FlagEvery = 2);
        var asked = Inference(Dev, 128);
        asked["numberResults"] = 4;
        asked["seed"] = 10;
        asked["safety"] = new JsonObject { ["checkContent"] = true };
        var notAsked = Inference(Dev, 128);
        notAsked["seed"] = 11;

        var answer = await emulator.PostAsync(asked, notAsked);

        answer.AssertOk();
        var bySeed = answer.Data.OfType<JsonObject>().Where(e => (string?)e["taskUUID"] == asked.Uuid()).ToDictionary(e => (long)e["seed"]!, e => (bool?)e["NSFWContent"]);
        Assert.Equal(new Dictionary<long, bool?> { [10] = false, [11] = true, [12] = false, [13] = true }, bySeed);
        var plain = answer.Data.OfType<JsonObject>().Single(e => (string?)e["taskUUID"] == notAsked.Uuid());
        Assert.Null(plain["NSFWContent"]);
    }

    [Fact]
    public async Task Inference_ModeNoneOverridesCheckContent_NothingIsChecked()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.FlagEvery = 1);
        var task = Inference(Dev, 128);
        task["safety"] = new JsonObject { ["checkContent"] = true, ["mode"] = "none" };

        var answer = await emulator.PostAsync(task);

        answer.AssertOk();
        Assert.Null(answer.SingleData()["NSFWContent"]); // nothing checked, nothing to report (assumed for mode none)
    }

    [Fact]
    public async Task Inference_ErrorDialect_FlaggedAsyncInferenceFailsWithNsfwContentDetected()
    {
        await using var emulator = await TestEmulator.StartAsync(o =>
        {
            o.FlagEvery = 1;
            o.FlaggedAnswer = "error";
        });
        var task = Inference(Dev, 128).Async();
        task["safety"] = new JsonObject { ["checkContent"] = true };

        (await emulator.PostAsync(task)).AssertOk();
        var done = await emulator.PollUntilDoneAsync(task.Uuid());

        var error = done.SingleError();
        Assert.Equal("nsfwContentDetected", (string?)error["code"]);
        Assert.Equal("error", (string?)error["status"]);
    }

    [Fact]
    public async Task SafetySwitch_PutThenDelete_ChangesFlaggingAtRunTimeAndRestoresTheSetting()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128);
        task["seed"] = 1;
        task["safety"] = new JsonObject { ["checkContent"] = true };
        Assert.False((bool?)(await emulator.PostAsync(task)).SingleData()["NSFWContent"]);

        var put = await emulator.Http.PutAsJsonAsync("emulator/safety", new { flagEvery = 2 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        task["taskUUID"] = NewUuid();
        Assert.True((bool?)(await emulator.PostAsync(task)).SingleData()["NSFWContent"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await emulator.Http.PutAsJsonAsync("emulator/safety", new { flagEvery = -1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await emulator.Http.PutAsJsonAsync("emulator/safety", new { flaggedAnswer = "drop" })).StatusCode);

        var restored = await (await emulator.Http.DeleteAsync(new Uri("emulator/safety", UriKind.Relative))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(0, (int?)restored!["flagEvery"]);
        Assert.Equal("flag", (string?)restored["flaggedAnswer"]);
    }

    [Theory]
    [InlineData("""{"checkContent":"yes"}""", "invalidCheckContent", "safety.checkContent")]
    [InlineData("""{"mode":"strict"}""", "invalidMode", "safety.mode")]
    [InlineData("""{"tolerance":true}""", "unsupportedParameter", "safety.tolerance")]
    [InlineData("""true""", "invalidSafety", "safety")]
    public async Task Inference_BadSafety_IsRejectedNamingTheField(string safety, string code, string parameter)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var task = Inference(Dev, 128);
        task["safety"] = JsonNode.Parse(safety);

        var answer = await emulator.PostAsync(task);

        answer.AssertRejected(code, parameter);
    }
}
