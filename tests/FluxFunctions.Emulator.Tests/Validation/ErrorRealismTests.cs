using System.Net;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Validation;

/// <summary>Every error object carries code, message, taskType, taskUUID, parameter and a documentation link that fits it.</summary>
public sealed class ErrorRealismTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string Docs = "https://runware.ai/docs/";

    private TestEmulator Emulator => fixture.Emulator;

    public static TheoryData<string, string, string> TaskErrors => new()
    {
        { "seedImage", "invalidSeedImage", Docs + "image-inference/api-reference#request-seedimage" },
        { "redux guide", "invalidGuideImage", Docs + "image-inference/api-reference#request-ipadapters-guideimage" },
        { "webhookURL", "invalidWebhookURL", Docs + "platform/webhooks" },
        { "upload image", "invalidImage", Docs + "utilities/image-upload#request-image" },
        { "preprocess type", "invalidPreProcessorType", Docs + "image-editing/controlnet-tools#request-preprocessortype" },
        { "getResponse unknown", "taskNotFound", Docs + "platform/task-polling#request-taskuuid" },
        { "getTaskDetails unknown", "taskNotFound", Docs + "platform/task-details#request-taskuuid" },
    };

    [Theory]
    [MemberData(nameof(TaskErrors))]
    public async Task TaskError_OfEachTaskType_CarriesEveryFieldAndItsOwnDocumentation(string name, string code, string documentation)
    {
        var task = BrokenTask(name);

        var answer = await Emulator.PostAsync(task);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        var error = answer.SingleError();
        Assert.Equal(code, (string?)error["code"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
        Assert.Equal((string?)task["taskType"], (string?)error["taskType"]);
        Assert.Equal(task.Uuid(), (string?)error["taskUUID"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["parameter"]));
        Assert.Equal(documentation, (string?)error["documentation"]);
    }

    [Fact]
    public async Task FailedInference_ReportedByGetResponse_LinksTheTaskTypePage()
    {
        var task = Inference(Dev, 128).Async();
        task["positivePrompt"] = "emulator:fail";
        (await Emulator.PostAsync(task)).AssertOk();

        var error = (await Emulator.PollUntilDoneAsync(task.Uuid())).SingleError();

        Assert.Equal("imageInference", (string?)error["taskType"]);
        Assert.Equal(task.Uuid(), (string?)error["taskUUID"]);
        Assert.Equal(Docs + "image-inference/api-reference", (string?)error["documentation"]);
    }

    [Fact]
    public async Task RateLimitFault_LinksTheRateLimitsPage()
    {
        var answer = await Emulator.SendAsync(new JsonArray(Inference(Dev, 128)).ToJsonString(), r => r.Headers.Add("x-emulator-fault", "429"));

        Assert.Equal(Docs + "platform/rate-limits", (string?)answer.SingleError()["documentation"]);
    }

    private static JsonObject BrokenTask(string name)
    {
        var photo = TestImages.DataUri(TestImages.Gradient(128, 128));
        switch (name)
        {
            case "seedImage":
                return GuideTask(Canny, "not an image!", 128);
            case "redux guide":
                return ReduxTask("not an image!", 128);
            case "webhookURL":
                var hooked = Inference(Dev, 128);
                hooked["webhookURL"] = "ftp://example.com/hook";
                return hooked;
            case "upload image":
                return Upload("data:image/png;base64,AAAA");
            case "preprocess type":
                return Preprocess(photo, "sketch");
            case "getResponse unknown":
                return GetResponse(NewUuid());
            default:
                return TaskDetails(NewUuid());
        }
    }
}
