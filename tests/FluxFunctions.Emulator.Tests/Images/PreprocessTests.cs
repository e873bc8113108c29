using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using SkiaSharp;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Images;

/// <summary><c>controlNetPreprocess</c> canny and depth make real guide images.</summary>
public sealed class PreprocessTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private TestEmulator Emulator => fixture.Emulator;

    [Fact]
    public async Task Preprocess_Canny_ReturnsWhiteEdgesOnBlackAtTheSquaresBorder()
    {
        var input = TestImages.Square(256, SKColors.Black, SKColors.White);

        var answer = await Emulator.PostAsync(Preprocess(TestImages.DataUri(input), "canny"));

        answer.AssertOk();
        var entry = answer.SingleData();
        Assert.Equal("controlNetPreprocess", (string?)entry["taskType"]);
        Assert.True(Guid.TryParse((string?)entry["inputImageUUID"], out _));
        var (bytes, contentType) = await Emulator.GetImageAsync((string)entry["guideImageURL"]!);
        Assert.Equal("image/png", contentType);
        using var guide = TestImages.Decode(bytes);
        Assert.Equal((256, 256), (guide.Width, guide.Height));
        Assert.Equal(SKColors.White, guide.GetPixel(64, 96)); // left border of the square (64..192)
        Assert.Equal(SKColors.Black, guide.GetPixel(128, 128)); // inside: flat
        Assert.Equal(SKColors.Black, guide.GetPixel(10, 10)); // outside: flat
    }

    [Fact]
    public async Task Preprocess_CannyThresholds_DecideWhetherWeakEdgesShow()
    {
        var input = TestImages.DataUri(TestImages.Square(256, new SKColor(100, 100, 100), new SKColor(112, 112, 112)));
        var sensitive = Preprocess(input, "canny");
        sensitive["lowThresholdCanny"] = 10;
        sensitive["highThresholdCanny"] = 20;

        var weakShown = await EdgePixels(await Emulator.PostAsync(sensitive));
        var weakHidden = await EdgePixels(await Emulator.PostAsync(Preprocess(input, "canny")));

        Assert.True(weakShown > 200, $"expected the weak square outline with thresholds 10/20, got {weakShown} edge pixels");
        Assert.Equal(0, weakHidden);
    }

    [Fact]
    public async Task Preprocess_Depth_IsGrayscaleNearerAtTheBottom()
    {
        var input = TestImages.DataUri(TestImages.Solid(192, 256, new SKColor(90, 120, 150)));

        var answer = await Emulator.PostAsync(Preprocess(input, "depth"));

        answer.AssertOk();
        using var depth = TestImages.Decode((await Emulator.GetImageAsync((string)answer.SingleData()["guideImageURL"]!)).Bytes);
        Assert.Equal((192, 256), (depth.Width, depth.Height));
        var top = depth.GetPixel(96, 2);
        var bottom = depth.GetPixel(96, 253);
        Assert.Equal(top.Red, top.Green);
        Assert.Equal(top.Green, top.Blue);
        Assert.True(bottom.Red > top.Red + 100, $"bottom {bottom} should be much nearer (brighter) than top {top}");
    }

    [Fact]
    public async Task Preprocess_WidthHeightAndBase64Output_ResizesAndInlinesTheGuide()
    {
        var task = Preprocess(TestImages.DataUri(TestImages.Gradient(300, 200)), "depth");
        task["width"] = 384;
        task["height"] = 256;
        task["outputType"] = "base64Data";
        task["includeCost"] = true;

        var answer = await Emulator.PostAsync(task);

        answer.AssertOk();
        var entry = answer.SingleData();
        Assert.Null(entry["guideImageURL"]);
        Assert.True((double)entry["cost"]! > 0);
        using var guide = TestImages.Decode(Convert.FromBase64String((string)entry["guideImageBase64Data"]!));
        Assert.Equal((384, 256), (guide.Width, guide.Height));
    }

    [Fact]
    public async Task Preprocess_GuideUuid_IsUsableAsSeedImageOfCanny()
    {
        var answer = await Emulator.PostAsync(Preprocess(TestImages.DataUri(TestImages.Gradient(256, 256)), "canny"));
        var guideUuid = (string)answer.SingleData()["guideImageUUID"]!;
        var inputUuid = (string)answer.SingleData()["inputImageUUID"]!;

        var canny = await Emulator.PostAsync(GuideTask(Canny, guideUuid));
        var depthFromInput = await Emulator.PostAsync(GuideTask(Depth, inputUuid));

        canny.AssertOk();
        depthFromInput.AssertOk();
    }

    [Theory]
    [InlineData("openpose", "lowThresholdCanny", 10, "invalidPreProcessorType", "preProcessorType")]
    [InlineData("depth", "lowThresholdCanny", 10, "unsupportedParameter", "lowThresholdCanny")]
    [InlineData("canny", "lowThresholdCanny", 250, "invalidLowThresholdCanny", "lowThresholdCanny")]
    [InlineData("canny", "highThresholdCanny", 256, "invalidHighThresholdCanny", "highThresholdCanny")]
    [InlineData("canny", "width", 100, "invalidWidth", "width")]
    public async Task Preprocess_BadParameter_IsRejectedNamingIt(string type, string field, int value, string code, string parameter)
    {
        var task = Preprocess(TestImages.DataUri(TestImages.Gradient(256, 256)), type);
        task[field] = value;

        var answer = await Emulator.PostAsync(task);

        answer.AssertRejected(code, parameter);
    }

    [Fact]
    public async Task Preprocess_MissingInputImage_IsRejected()
    {
        var task = Preprocess("x", "canny");
        task.Remove("inputImage");

        (await Emulator.PostAsync(task)).AssertRejected("missingParameter", "inputImage");
    }

    private async Task<int> EdgePixels(ApiAnswer answer)
    {
        answer.AssertOk();
        using var guide = TestImages.Decode((await Emulator.GetImageAsync((string)answer.SingleData()["guideImageURL"]!)).Bytes);
        return guide.Pixels.Count(p => p.Red > 128);
    }
}
