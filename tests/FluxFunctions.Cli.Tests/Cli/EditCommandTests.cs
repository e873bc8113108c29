using FluxFunctions.Testing;
using SkiaSharp;

namespace FluxFunctions.Cli.Tests.Cli;

/// <summary><c>flux edit …</c> against a running runner: results downloaded, options sent, exit codes for scripts.</summary>
[Collection(CliCollection.Name)]
public sealed class EditCommandTests(CliRunnerFixture fixture)
{
    private readonly CliDriver cli = new(fixture);

    [Fact]
    public async Task EditFill_WithMask_DownloadsResultAndExitsZero()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("photo.png");
        var mask = folder.Mask("mask.png");
        var output = folder.PathOf("out");

        var result = await cli.RunAsync("edit", "fill", photo, "--mask", mask, "--prompt", "a red door", "-o", output);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var file = Path.Combine(output, "photo.fill.0.png");
        Assert.True(File.Exists(file), result.ToString());
        using var image = TestImages.DecodeRaw(await File.ReadAllBytesAsync(file));
        Assert.True(image.Width >= 128 && image.Height >= 128);
        Assert.Contains("completed", result.Out, StringComparison.Ordinal);
        Assert.Contains(file, result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Out + result.Error);
    }

    [Theory]
    [InlineData("canny", "png", new[] { "--prompt", "a pencil drawing of a house", "--low", "50", "--high", "150", "--preprocess", "local" })]
    [InlineData("depth", "jpg", new[] { "--prompt", "a misty valley", "--format", "jpg" })]
    [InlineData("redux", "png", new[] { "--number-results", "2", "--base-model", "runware:101@1" })]
    public async Task EditTool_Json_PrintsCompletedStatusWithDownloadedFiles(string tool, string extension, string[] options)
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("scene.jpg");
        var output = folder.PathOf("results");

        var result = await cli.RunAsync(["edit", tool, photo, "-o", output, "--json", .. options]);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var json = result.Json();
        Assert.Equal("completed", json.GetProperty("status").GetString());
        Assert.Equal(tool, json.GetProperty("tool").GetString());
        var outputs = json.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(tool == "redux" ? 2 : 1, outputs.Count);
        foreach (var o in outputs)
        {
            var file = o.GetProperty("file").GetString()!;
            Assert.Equal(Path.Combine(output, $"scene.{tool}.{o.GetProperty("index").GetInt32()}.{extension}"), file);
            using var image = TestImages.DecodeRaw(await File.ReadAllBytesAsync(file));
            Assert.Equal(o.GetProperty("width").GetInt32(), image.Width);
            Assert.Equal(o.GetProperty("height").GetInt32(), image.Height);
        }

        Assert.DoesNotContain('\u001b', result.Out + result.Error);
    }

    [Fact]
    public async Task EditFill_OptionsFileAndFlags_FlagsWinAndEverythingReachesRunware()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("room.png", 256, 256, seed: 3);
        var mask = folder.Mask("room.mask.png", 256, 256);
        var prompt = "a window with a view " + Guid.NewGuid().ToString("N")[..8];
        var options = folder.Write("opts.json", $$"""{ "prompt": "{{prompt}}", "steps": 10, "seed": 99, "tool": "fill" }""");

        var result = await cli.RunAsync("edit", "fill", photo, "--mask", mask, "--options", options, "--steps", "12", "-o", folder.PathOf("out"), "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var inference = (await fixture.RunwareTasksAsync()).Single(t => (string?)t["taskType"] == "imageInference" && (string?)t["positivePrompt"] == prompt);
        Assert.Equal(12, (int?)inference["steps"]);
        Assert.Equal(99L, (long?)inference["seed"]);
        Assert.Equal("runware:102@1", (string?)inference["model"]);
    }

    [Theory]
    [InlineData("fill")]
    [InlineData("kontext")]
    public async Task EditWithReference_UploadsTheFileAsTheToolsReferenceField(string tool)
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("mug.png", 256, 256, seed: 5);
        var reference = folder.Photo("logo.png", 200, 200, seed: 6);
        var prompt = "the logo on the mug " + Guid.NewGuid().ToString("N")[..8];
        string[] mask = tool == "fill" ? ["--mask", folder.Mask("mug.mask.png", 256, 256)] : [];

        var result = await cli.RunAsync(["edit", tool, photo, .. mask, "--reference", reference, "--prompt", prompt, "-o", folder.PathOf("out"), "--json"]);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var inference = (await fixture.RunwareTasksAsync()).Single(t => (string?)t["taskType"] == "imageInference" && (string?)t["positivePrompt"] == prompt);
        if (tool == "fill")
        {
            Assert.NotNull(inference["acePlusPlus"]);
            Assert.Single(inference["referenceImages"]!.AsArray());
        }
        else
        {
            Assert.Equal(2, inference["inputs"]!["referenceImages"]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task EditFill_InvalidValues_ExitsFourNamingEachField()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("photo.png");
        var mask = folder.Mask("mask.png");

        var result = await cli.RunAsync("edit", "fill", photo, "--mask", mask, "--prompt", "a cat", "--steps", "500", "--width", "1000", "--json");

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        var error = result.Json().GetProperty("error");
        Assert.Equal("rejected", error.GetProperty("kind").GetString());
        Assert.Equal(400, error.GetProperty("status").GetInt32());
        var fields = error.GetProperty("problem").GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("parameter").GetString()).ToList();
        Assert.Contains("steps", fields);
        Assert.Contains("width", fields);
        Assert.Contains("steps: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditRedux_CallbackEvents_ReachTheApiAsAListItChecks()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("photo.png");

        var unknown = await cli.RunAsync("edit", "redux", photo, "--callback-url", "https://hooks.example.com/flux", "--callback-events", "started, finished", "--json");
        var withoutUrl = await cli.RunAsync("edit", "redux", photo, "--callback-events", "started,completed", "--json");

        Assert.Equal(ExitCodes.Rejected, unknown.ExitCode);
        var errors = unknown.Json().GetProperty("error").GetProperty("problem").GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("parameter").GetString() == "callbackEvents[1]" && e.GetProperty("message").GetString()!.Contains("'finished'", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Rejected, withoutUrl.ExitCode);
        Assert.Contains("callbackEvents: ", withoutUrl.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditFill_WithoutMaskOrOutpaint_ExitsFour()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("photo.png");

        var result = await cli.RunAsync("edit", "fill", photo, "--prompt", "a cat");

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        Assert.Contains("mask", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task EditFill_Regions_OneTaskPerColourWithItsPrompt()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("yard.png", 640, 480, seed: 9);
        using var colours = TestImages.ColorMask(640, 480, (new SKRectI(40, 40, 120, 110), new SKColor(255, 0, 0)), (new SKRectI(480, 340, 580, 430), new SKColor(0, 0, 255)));
        var mask = folder.Write("yard.mask.png", TestFiles.Png(colours));

        var result = await cli.RunAsync("edit", "fill", photo, "--mask", mask, "--prompt", "a quiet yard", "--region", "#ff0000=a red wheelbarrow", "--region", "#0000ff", "-o", folder.PathOf("out"), "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var output = Assert.Single(result.Json().GetProperty("outputs").EnumerateArray());
        Assert.Equal((640, 480), (output.GetProperty("width").GetInt32(), output.GetProperty("height").GetInt32()));
        var tasks = await fixture.RunwareTasksAsync();
        Assert.Contains(tasks, t => (string?)t["taskType"] == "imageInference" && (string?)t["positivePrompt"] == "a red wheelbarrow");
        Assert.Contains(tasks, t => (string?)t["taskType"] == "imageInference" && (string?)t["positivePrompt"] == "a quiet yard");
    }

    [Fact]
    public async Task EditCanny_SafetyFlags_SendRunwaresSafetyObject()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("barn.png", 320, 240, seed: 4);

        await using var flagging = await fixture.FlagEveryResultAsync();
        var result = await cli.RunAsync("edit", "canny", photo, "--prompt", "a safety-checked barn", "--safety", "inputs-and-outputs", "--on-flagged", "record", "-o", folder.PathOf("out"), "--json");
        var text = await cli.RunAsync("edit", "canny", photo, "--prompt", "a safety-checked barn, in words", "--safety", "outputs", "--on-flagged", "record", "-o", folder.PathOf("out2"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var task = Assert.Single(await fixture.RunwareTasksAsync(), t => (string?)t["taskType"] == "imageInference" && (string?)t["positivePrompt"] == "a safety-checked barn");
        Assert.Equal("""{"checkContent":true,"checkInputs":true}""", task["safety"]?.ToJsonString());
        Assert.True(result.Json().GetProperty("outputs")[0].GetProperty("flagged").GetBoolean(), result.Out);
        Assert.True(text.ExitCode == ExitCodes.Ok, text.ToString());
        Assert.Contains("flagged by Runware's safety check", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditFill_Outpaint_ExtendsTheCanvas()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("narrow.png", 256, 256, seed: 5);

        var result = await cli.RunAsync("edit", "fill", photo, "--outpaint", "0,128,0,128", "--prompt", "more of the landscape", "-o", folder.PathOf("out"), "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var output = result.Json().GetProperty("outputs")[0];
        Assert.True(output.GetProperty("width").GetInt32() > output.GetProperty("height").GetInt32(), result.Out);
    }

    [Fact]
    public async Task Edit_Timeout_ExitsSevenAndTheJobGoesOn()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("slow.png");

        var result = await cli.RunAsync("edit", "redux", photo, "--timeout", "0.2", "--json");

        Assert.Equal(ExitCodes.Timeout, result.ExitCode);
        var error = result.Json().GetProperty("error");
        Assert.Equal("timeout", error.GetProperty("kind").GetString());
        var id = error.GetProperty("id").GetString()!;
        Assert.Contains($"flux status {id} --wait", result.Error, StringComparison.Ordinal);

        var after = await cli.RunAsync("status", id, "--wait", "--json");
        Assert.True(after.ExitCode == ExitCodes.Ok, after.ToString());
        Assert.Equal("completed", after.Json().GetProperty("status").GetString());
    }

    [Fact]
    public async Task EditRedux_Interactive_DrawsProgressWithStages()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("live.png");

        var result = await cli.RunAsync(interactive: true, "edit", "redux", photo, "-o", folder.PathOf("out"));

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains('\u001b', result.Out);
        Assert.Contains("redux live.png", result.Out, StringComparison.Ordinal);
        Assert.Contains("completed", result.Out, StringComparison.Ordinal);
        Assert.Contains("inferring", result.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.PathOf("out"), "live.redux.0.png")));
    }

    [Fact]
    public async Task Edit_NoWait_PrintsIdAndReturnsAtOnce()
    {
        using var folder = new TestFolder();
        var photo = folder.Photo("later.png");

        var result = await cli.RunAsync("edit", "redux", photo, "--no-wait");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var id = result.Out.Trim();
        Assert.Matches("^[ab][0-9a-f]{31}$", id);
        var status = await cli.RunAsync("status", id, "--json");
        Assert.Equal(ExitCodes.Ok, status.ExitCode);
        Assert.Contains(status.Json().GetProperty("status").GetString(), new[] { "pending", "running", "completed" });
    }

    [Fact]
    public async Task Edit_ImageUrlReference_IsSentInTheOptions()
    {
        // An http URL to a private address: the API rejects it (SSRF guard), naming the field — proof the reference was
        // sent as the 'image' field instead of being read as a local path.
        var result = await cli.RunAsync("edit", "redux", "http://127.0.0.1:9/photo.png", "--json");

        Assert.Equal(ExitCodes.Rejected, result.ExitCode);
        var errors = result.Json().GetProperty("error").GetProperty("problem").GetProperty("errors");
        Assert.Contains(errors.EnumerateArray(), e => e.GetProperty("parameter").GetString() == "image");
    }
}
