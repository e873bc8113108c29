using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using SkiaSharp;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Validation;

/// <summary>Each FLUX tool's valid request (as SPEC §1 builds it) is accepted and yields an image of the asked size.</summary>
public sealed class ToolAcceptanceTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly byte[] Photo = TestImages.Gradient(256, 256);
    private static readonly byte[] MaskPng = TestImages.Mask(256, 256, new SKRectI(64, 64, 192, 192));

    private TestEmulator Emulator => fixture.Emulator;

    public static TheoryData<string> Tools => ["fill", "canny", "depth", "redux", "text"];

    [Theory]
    [MemberData(nameof(Tools))]
    public async Task ImageInference_ValidToolRequest_ReturnsImageOfRequestedSize(string tool)
    {
        var photo = TestImages.DataUri(Photo);
        var task = tool switch
        {
            "fill" => FillTask(photo, TestImages.DataUri(MaskPng)),
            "canny" => GuideTask(Canny, photo),
            "depth" => GuideTask(Depth, photo),
            "redux" => ReduxTask(photo),
            _ => Inference(Dev),
        };
        task["width"] = 384;
        task["height"] = 256;

        var answer = await Emulator.PostAsync(task);

        answer.AssertOk();
        var entry = answer.SingleData();
        Assert.Equal("imageInference", (string?)entry["taskType"]);
        Assert.Equal(task.Uuid(), (string?)entry["taskUUID"]);
        Assert.True(Guid.TryParse((string?)entry["imageUUID"], out _));
        Assert.Null(entry["NSFWContent"]); // only "if safety parameter is used"
        Assert.True((double)entry["cost"]! > 0);
        Assert.True((long)entry["seed"]! >= 1);
        Assert.Null(entry["status"]);
        var (bytes, contentType) = await Emulator.GetImageAsync((string)entry["imageURL"]!);
        Assert.Equal("image/png", contentType);
        using var image = TestImages.Decode(bytes);
        Assert.Equal((384, 256), (image.Width, image.Height));
    }

    [Fact]
    public async Task ImageInference_FillOutpaintWithoutMask_ExtendsCanvas()
    {
        var task = FillTask(TestImages.DataUri(Photo), "unused");
        task.Remove("maskImage");
        task["width"] = 384;
        task["outpaint"] = new JsonObject { ["left"] = 64, ["right"] = 64, ["top"] = 0, ["bottom"] = 0, ["blur"] = 8 };

        var bytes = await Emulator.RenderAsync(task);

        using var image = TestImages.Decode(bytes);
        Assert.Equal(384, image.Width);
    }

    [Fact]
    public async Task ImageInference_SeedImageByUploadedUuid_IsAccepted()
    {
        var imageUuid = await Emulator.UploadAsync(Photo);

        var answer = await Emulator.PostAsync(GuideTask(Canny, imageUuid));

        answer.AssertOk();
    }

    [Fact]
    public async Task ImageInference_RawBase64AndLowercaseFormat_AreAccepted()
    {
        var task = GuideTask(Depth, Convert.ToBase64String(Photo));
        task["outputFormat"] = "webp";

        var answer = await Emulator.PostAsync(task);

        answer.AssertOk();
        Assert.EndsWith(".webp", (string)answer.SingleData()["imageURL"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImageInference_LargestSeedAndAllDocumentedFields_AreAccepted()
    {
        var task = Inference(Dev);
        task["seed"] = long.MaxValue;
        task["negativePrompt"] = "blurry";
        task["steps"] = 100;
        task["CFGScale"] = 0;
        task["scheduler"] = "FlowMatchEulerDiscreteScheduler";
        task["outputQuality"] = 80;
        task["checkNSFW"] = true;
        task["ttl"] = 3600;
        task["deliveryMethod"] = "sync";
        task["seedImage"] = TestImages.DataUri(Photo);
        task["strength"] = 0.6;

        var answer = await Emulator.PostAsync(task);

        answer.AssertOk();
        Assert.Equal(long.MaxValue, (long)answer.SingleData()["seed"]!);
    }

    [Fact]
    public async Task Post_UploadAndInferenceInOneRequest_AnswersBothInTaskOrder()
    {
        var upload = Upload(TestImages.DataUri(Photo));
        var answer = await Emulator.PostAsync(upload);
        var imageUuid = (string)answer.SingleData()["imageUUID"]!;
        var inference = ReduxTask(imageUuid);

        var both = await Emulator.PostAsync(Upload(TestImages.DataUri(Photo)), inference);

        both.AssertOk();
        Assert.Equal(["imageUpload", "imageInference"], both.Data.Select(d => (string)d!["taskType"]!));
    }
}
