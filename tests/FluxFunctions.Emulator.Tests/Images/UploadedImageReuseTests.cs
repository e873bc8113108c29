using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using SkiaSharp;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Images;

/// <summary>An imageUUID answered by imageUpload is accepted in every image field and served at its URL.</summary>
public sealed class UploadedImageReuseTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly byte[] Photo = TestImages.Gradient(256, 256);
    private static readonly byte[] MaskPng = TestImages.Mask(256, 256, new SKRectI(64, 64, 192, 192));

    private TestEmulator Emulator => fixture.Emulator;

    public static TheoryData<string> Fields => ["seedImage (fill)", "maskImage", "seedImage (canny)", "seedImage (depth)", "ipAdapters[0].guideImage", "inputImage"];

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task ImageField_UploadedImageUuid_IsAccepted(string field)
    {
        var photo = await Emulator.UploadAsync(Photo);
        var mask = await Emulator.UploadAsync(MaskPng);
        var inline = TestImages.DataUri(Photo);
        var task = field switch
        {
            "seedImage (fill)" => FillTask(photo, TestImages.DataUri(MaskPng)),
            "maskImage" => FillTask(inline, mask),
            "seedImage (canny)" => GuideTask(Canny, photo),
            "seedImage (depth)" => GuideTask(Depth, photo),
            "ipAdapters[0].guideImage" => ReduxTask(photo),
            _ => Preprocess(photo, "canny"),
        };

        var answer = await Emulator.PostAsync(task);

        answer.AssertOk();
        var entry = answer.SingleData();
        Assert.NotNull(entry["imageURL"] ?? entry["guideImageURL"]);
        if (field == "inputImage")
        {
            Assert.Equal(photo, (string?)entry["inputImageUUID"]);
        }
    }

    [Fact]
    public async Task ImageUrl_OfAnUploadedPng_ServesTheUploadedBytes()
    {
        var upload = await Emulator.PostAsync(Upload(TestImages.DataUri(Photo)));
        var entry = upload.SingleData();
        var uuid = (string)entry["imageUUID"]!;

        var (bytes, contentType) = await Emulator.GetImageAsync(new Uri(Emulator.Emulator.BaseAddress, $"emulator/images/{uuid}.png").ToString());

        Assert.Equal("image/png", contentType);
        Assert.Equal(Photo, bytes);
        Assert.Equal(new Uri(Emulator.Emulator.BaseAddress, $"emulator/images/{uuid}.png").ToString(), (string?)entry["imageURL"]);
    }

    [Fact]
    public async Task ImageField_UnknownImageUuid_IsRejectedNamingTheField()
    {
        var task = ReduxTask(Guid.NewGuid().ToString());

        var error = (await Emulator.PostAsync(task)).AssertRejected("invalidGuideImage", "ipAdapters[0].guideImage");

        Assert.Contains("does not know", (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReferenceImages_AreNotServedByTheEmulator()
    {
        var task = Inference(Dev);
        task["referenceImages"] = new JsonArray(await Emulator.UploadAsync(Photo));

        (await Emulator.PostAsync(task)).AssertRejected("unsupportedParameter", "referenceImages");
    }
}
