using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using SkiaSharp;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Validation;

/// <summary>Every rule of Runware and SPEC §1 rejects a bad task with a Runware-shaped error naming the parameter.</summary>
public sealed class RejectionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string Photo = TestImages.DataUri(TestImages.Gradient(256, 256));
    private static readonly string MaskUri = TestImages.DataUri(TestImages.Mask(256, 256, new SKRectI(64, 64, 192, 192)));

    /// <summary>name → (task, code, parameter).</summary>
    private static readonly Dictionary<string, (Func<JsonObject> Task, string Code, string Parameter)> Cases = new()
    {
        ["fill strength"] = (() => With(FillTask(Photo, MaskUri), "strength", 0.8), "unsupportedParameter", "strength"),
        ["fill maskMargin"] = (() => With(FillTask(Photo, MaskUri), "maskMargin", 32), "unsupportedParameter", "maskMargin"),
        ["fill without mask"] = (() => Without(FillTask(Photo, MaskUri), "maskImage"), "missingParameter", "maskImage"),
        ["fill without seed"] = (() => Without(FillTask(Photo, MaskUri), "seedImage"), "missingParameter", "seedImage"),
        ["fill ipAdapters"] = (() => With(FillTask(Photo, MaskUri), "ipAdapters", new JsonArray(new JsonObject { ["guideImage"] = Photo, ["model"] = Redux })), "unsupportedParameter", "ipAdapters"),
        ["canny weight"] = (() => With(GuideTask(Canny, Photo), "weight", 0.7), "unsupportedParameter", "weight"),
        ["canny controlNet"] = (() => With(GuideTask(Canny, Photo), "controlNet", new JsonArray(new JsonObject { ["model"] = "x", ["guideImage"] = Photo })), "unsupportedParameter", "controlNet"),
        ["canny without seed"] = (() => Without(GuideTask(Canny, Photo), "seedImage"), "missingParameter", "seedImage"),
        ["canny mask"] = (() => With(GuideTask(Canny, Photo), "maskImage", MaskUri), "unsupportedParameter", "maskImage"),
        ["depth weight"] = (() => With(GuideTask(Depth, Photo), "weight", 1), "unsupportedParameter", "weight"),
        ["depth controlNet"] = (() => With(GuideTask(Depth, Photo), "controlNet", new JsonObject()), "unsupportedParameter", "controlNet"),
        ["depth outpaint"] = (() => With(GuideTask(Depth, Photo), "outpaint", new JsonObject { ["top"] = 64 }), "unsupportedParameter", "outpaint"),
        ["redux adapter weight"] = (() => Adapter(a => a["weight"] = 0.5), "unsupportedParameter", "ipAdapters[0].weight"),
        ["redux adapter model"] = (() => Adapter(a => a["model"] = "runware:55@1"), "invalidModel", "ipAdapters[0].model"),
        ["redux adapter without guide"] = (() => Adapter(a => a.Remove("guideImage")), "missingParameter", "ipAdapters[0].guideImage"),
        ["redux adapter unknown field"] = (() => Adapter(a => a["scale"] = 1), "unsupportedParameter", "ipAdapters[0].scale"),
        ["redux two adapters"] = (() => With(ReduxTask(Photo), "ipAdapters", new JsonArray(new JsonObject { ["guideImage"] = Photo, ["model"] = Redux }, new JsonObject { ["guideImage"] = Photo, ["model"] = Redux })), "invalidIpAdapters", "ipAdapters"),
        ["redux as model"] = (() => With(ReduxTask(Photo), "model", Redux), "invalidModel", "model"),
        ["redux bad guide"] = (() => Adapter(a => a["guideImage"] = "not an image at all!"), "invalidGuideImage", "ipAdapters[0].guideImage"),
        ["unknown model"] = (() => With(Inference(Dev), "model", "runware:999@1"), "invalidModel", "model"),
        ["missing model"] = (() => Without(Inference(Dev), "model"), "missingParameter", "model"),
        ["unknown field"] = (() => With(Inference(Dev), "foo", 1), "unsupportedParameter", "foo"),
        ["wrong case field"] = (() => With(Inference(Dev), "cfgScale", 3), "unsupportedParameter", "cfgScale"),
        ["short prompt"] = (() => With(Inference(Dev), "positivePrompt", "a"), "invalidPositivePrompt", "positivePrompt"),
        ["long prompt"] = (() => With(Inference(Dev), "positivePrompt", new string('a', 3001)), "invalidPositivePrompt", "positivePrompt"),
        ["missing prompt"] = (() => Without(Inference(Dev), "positivePrompt"), "missingParameter", "positivePrompt"),
        ["reject trigger"] = (() => With(Inference(Dev), "positivePrompt", "please emulator:reject this"), "invalidPositivePrompt", "positivePrompt"),
        ["short negative prompt"] = (() => With(Inference(Dev), "negativePrompt", "x"), "invalidNegativePrompt", "negativePrompt"),
        ["width not multiple of 64"] = (() => With(Inference(Dev), "width", 1000), "invalidWidth", "width"),
        ["width too small"] = (() => With(Inference(Dev), "width", 64), "invalidWidth", "width"),
        ["height too large"] = (() => With(Inference(Dev), "height", 2112), "invalidHeight", "height"),
        ["width as string"] = (() => With(Inference(Dev), "width", "512"), "invalidWidth", "width"),
        ["missing width"] = (() => Without(Inference(Dev), "width"), "missingParameter", "width"),
        ["steps zero"] = (() => With(Inference(Dev), "steps", 0), "invalidSteps", "steps"),
        ["steps too many"] = (() => With(Inference(Dev), "steps", 101), "invalidSteps", "steps"),
        ["steps fractional"] = (() => With(Inference(Dev), "steps", 20.5), "invalidSteps", "steps"),
        ["cfg too high"] = (() => With(Inference(Dev), "CFGScale", 50.5), "invalidCFGScale", "CFGScale"),
        ["cfg negative"] = (() => With(Inference(Dev), "CFGScale", -1), "invalidCFGScale", "CFGScale"),
        ["numberResults zero"] = (() => With(Inference(Dev), "numberResults", 0), "invalidNumberResults", "numberResults"),
        ["numberResults too many"] = (() => With(Inference(Dev), "numberResults", 21), "invalidNumberResults", "numberResults"),
        ["seed zero"] = (() => With(Inference(Dev), "seed", 0), "invalidSeed", "seed"),
        ["seed as string"] = (() => With(Inference(Dev), "seed", "42"), "invalidSeed", "seed"),
        ["outputType lowercase"] = (() => With(Inference(Dev), "outputType", "url"), "invalidOutputType", "outputType"),
        ["outputFormat gif"] = (() => With(Inference(Dev), "outputFormat", "GIF"), "invalidOutputFormat", "outputFormat"),
        ["outputFormat jpeg"] = (() => With(Inference(Dev), "outputFormat", "JPEG"), "invalidOutputFormat", "outputFormat"),
        ["outputQuality"] = (() => With(Inference(Dev), "outputQuality", 100), "invalidOutputQuality", "outputQuality"),
        ["deliveryMethod"] = (() => With(Inference(Dev), "deliveryMethod", "later"), "invalidDeliveryMethod", "deliveryMethod"),
        ["webhookURL"] = (() => With(Inference(Dev), "webhookURL", "ftp://example.com/hook"), "invalidWebhookURL", "webhookURL"),
        ["outpaint not multiple of 64"] = (() => With(FillTask(Photo, MaskUri), "outpaint", new JsonObject { ["top"] = 10 }), "invalidParameter", "outpaint.top"),
        ["outpaint unknown side"] = (() => With(FillTask(Photo, MaskUri), "outpaint", new JsonObject { ["middle"] = 64 }), "unsupportedParameter", "outpaint.middle"),
        ["seedImage garbage"] = (() => GuideTask(Canny, "!!not base64!!"), "invalidSeedImage", "seedImage"),
        ["seedImage unknown uuid"] = (() => GuideTask(Canny, Guid.NewGuid().ToString()), "invalidSeedImage", "seedImage"),
        ["seedImage not an image"] = (() => GuideTask(Canny, Convert.ToBase64String("hello, this is text"u8.ToArray())), "invalidSeedImage", "seedImage"),
        ["maskImage truncated"] = (() => FillTask(Photo, Convert.ToBase64String(TestImages.Gradient(256, 256).AsSpan(0, 400).ToArray())), "invalidMaskImage", "maskImage"),
        ["maskImage empty data uri"] = (() => FillTask(Photo, "data:image/png;base64,"), "invalidMaskImage", "maskImage"),
        ["taskUUID version 1"] = (() => With(Inference(Dev), "taskUUID", "c232ab00-9414-11ec-b3c8-9f6bdeced846"), "invalidTaskUUID", "taskUUID"),
        ["taskUUID not a uuid"] = (() => With(Inference(Dev), "taskUUID", "task-1"), "invalidTaskUUID", "taskUUID"),
        ["taskUUID missing"] = (() => Without(Inference(Dev), "taskUUID"), "missingParameter", "taskUUID"),
        ["taskType unknown"] = (() => With(Inference(Dev), "taskType", "imageMagic"), "invalidTaskType", "taskType"),
        ["taskType missing"] = (() => Without(Inference(Dev), "taskType"), "missingParameter", "taskType"),
        ["upload unknown field"] = (() => With(Upload(Photo), "folder", "x"), "unsupportedParameter", "folder"),
        ["upload missing image"] = (() => Without(Upload(Photo), "image"), "missingParameter", "image"),
        ["upload bad image"] = (() => Upload("data:image/png;base64,AAAA"), "invalidImage", "image"),
        ["getResponse extra field"] = (() => With(GetResponse(NewUuid()), "model", Dev), "unsupportedParameter", "model"),
    };

    private TestEmulator Emulator => fixture.Emulator;

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Post_TaskBreakingARule_IsRejectedNamingTheParameter(string name)
    {
        var (task, code, parameter) = Cases[name];
        var built = task();

        var answer = await Emulator.PostAsync(built);

        var error = answer.AssertRejected(code, parameter);
        if (built["taskUUID"] is JsonValue uuid && uuid.TryGetValue<string>(out var text))
        {
            Assert.Equal(text, (string?)error["taskUUID"]);
        }

        Assert.Empty(answer.Data);
    }

    [Fact]
    public async Task Post_TaskWithSeveralProblems_ReportsEachOne()
    {
        var task = FillTask(Photo, MaskUri);
        task["strength"] = 0.5;
        task["maskMargin"] = 64;
        task["width"] = 1000;

        var answer = await Emulator.PostAsync(task);

        answer.AssertRejected("unsupportedParameter", "strength");
        answer.AssertRejected("unsupportedParameter", "maskMargin");
        answer.AssertRejected("invalidWidth", "width");
        Assert.Equal(3, answer.Errors.Count);
    }

    [Fact]
    public async Task Post_ValidAndInvalidTasks_Returns400WithTheValidTasksData()
    {
        var upload = Upload(Photo);
        var broken = With(Inference(Dev), "steps", 0);

        var answer = await Emulator.PostAsync(upload, broken);

        answer.AssertRejected("invalidSteps", "steps");
        Assert.Equal(upload.Uuid(), (string?)answer.SingleData()["taskUUID"]);
    }

    [Theory]
    [InlineData("{\"taskType\":\"imageUpload\"}")]
    [InlineData("[\"imageUpload\"]")]
    [InlineData("[]")]
    [InlineData("[{\"taskType\":")]
    [InlineData("")]
    public async Task Post_BodyNotAnArrayOfTaskObjects_IsInvalidRequestBody(string body)
    {
        var answer = await Emulator.SendAsync(body);

        answer.AssertRejected("invalidRequestBody", null);
    }

    [Fact]
    public async Task Post_RejectedTask_DoesNotConsumeItsTaskUuid()
    {
        var task = With(Inference(Dev), "steps", 0);
        (await Emulator.PostAsync(task)).AssertRejected("invalidSteps", "steps");

        task["steps"] = 4;
        var retry = await Emulator.PostAsync(task);

        retry.AssertOk();
    }

    private static JsonObject With(JsonObject task, string name, JsonNode? value)
    {
        task[name] = value;
        return task;
    }

    private static JsonObject Without(JsonObject task, string name)
    {
        task.Remove(name);
        return task;
    }

    private static JsonObject Adapter(Action<JsonObject> change)
    {
        var task = ReduxTask(Photo);
        change((JsonObject)task["ipAdapters"]![0]!);
        return task;
    }
}
