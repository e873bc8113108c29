using System.Text.Json.Nodes;
using FluxFunctions.Errors;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Tests.Runware;

public sealed class RunwareClientProtocolTests
{
    internal static JsonObject Inference(Guid taskUuid, int numberResults = 1) => RunwareTaskBuilder.BuildInference(
        new EditSpec { Tool = FluxTool.Fill, Prompt = "a red door", NumberResults = numberResults }, new InferenceImages("img-1", "mask-1"), taskUuid, 1024, 768);

    [Fact]
    public async Task UploadImageAsync_WithApiKey_PostsBearerAndJsonArrayAndReturnsImageUuid()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = r => StubReply.Data(Entries.Upload(r.TaskUuid, "9d1f2c3b-0000-4000-8000-000000000001"));

        var imageUuid = await h.Client.UploadImageAsync("data:image/png;base64,iVBORw0KGgo=");

        Assert.Equal("9d1f2c3b-0000-4000-8000-000000000001", imageUuid);
        var request = Assert.Single(h.Server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1", request.Path);
        Assert.Equal($"Bearer {RunwareHarness.ApiKey}", request.Header("Authorization"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        var tasks = Assert.IsType<JsonArray>(JsonNode.Parse(request.Body));
        var task = Assert.IsType<JsonObject>(Assert.Single(tasks));
        Assert.Equal("imageUpload", (string?)task["taskType"]);
        Assert.Equal("data:image/png;base64,iVBORw0KGgo=", (string?)task["image"]);
        Assert.True(Guid.TryParse((string?)task["taskUUID"], out _));
    }

    [Fact]
    public async Task UploadImageAsync_Base64WithPlusAndSlash_SendsThemUnescaped()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = r => StubReply.Data(Entries.Upload(r.TaskUuid));
        var image = "data:image/png;base64," + Convert.ToBase64String([0xFB, 0xEF, 0xBE, 0xFB, 0xFF, 0xFF]);

        await h.Client.UploadImageAsync(image);

        // Every '+' escaped as \u002B would cost 5 extra bytes: about 8 % more bytes per upload.
        var body = Assert.Single(h.Server.Requests).Body;
        Assert.Contains("+", image, StringComparison.Ordinal);
        Assert.Contains(image, body, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UploadImageAsync_WithoutApiKey_SendsNoAuthorizationHeader()
    {
        await using var h = await RunwareHarness.StartAsync(withKey: false);
        h.Server.Handler = r => StubReply.Data(Entries.Upload(r.TaskUuid));

        await h.Client.UploadImageAsync("aGVsbG8=");

        Assert.Null(Assert.Single(h.Server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task SubmitInferenceAsync_ValidationError_ThrowsRejectedWithParameterAndSendsOnce()
    {
        await using var h = await RunwareHarness.StartAsync();
        var id = Guid.NewGuid();
        h.Server.Handler = _ => StubReply.Errors(400, Entries.Error("invalidPositivePrompt", "The prompt is not allowed.", "positivePrompt", id.ToString()));

        var ex = await Assert.ThrowsAsync<RunwareRejectedException>(() => h.Client.SubmitInferenceAsync(Inference(id)));

        Assert.Single(h.Server.Requests);
        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("imageInference", ex.TaskType);
        Assert.Equal(id.ToString(), ex.TaskUUID);
        var runwareError = Assert.Single(ex.RunwareErrors);
        Assert.Equal("positivePrompt", runwareError.Parameter);
        Assert.Equal(new FluxError("invalidPositivePrompt", "The prompt is not allowed.", "positivePrompt"), ex.First);
        Assert.IsAssignableFrom<PermanentFluxException>(ex);
    }

    [Fact]
    public async Task SubmitInferenceAsync_SeveralErrors_MapsEveryOneToAFluxError()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Errors(
            400,
            Entries.Error("unsupportedParameter", "maskMargin is not supported by this model.", "maskMargin"),
            Entries.Error("invalidWidth", "Width must be a multiple of 64.", "width"));

        var ex = await Assert.ThrowsAsync<RunwareRejectedException>(() => h.Client.SubmitInferenceAsync(Inference(Guid.NewGuid())));

        Assert.Equal(["maskMargin", "width"], ex.Errors.Select(e => e.Parameter));
        Assert.Equal(["unsupportedParameter", "invalidWidth"], ex.Errors.Select(e => e.Code));
    }

    [Fact]
    public async Task UploadImageAsync_InvalidApiKey_ThrowsRejectedNamingTheSettingAndSendsOnce()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => StubReply.Errors(401, Entries.Error("invalidApiKey", "Invalid API key. Get one at https://runware.example/signup"));

        var ex = await Assert.ThrowsAsync<RunwareRejectedException>(() => h.Client.UploadImageAsync("aGVsbG8="));

        Assert.Single(h.Server.Requests);
        Assert.Equal(401, ex.StatusCode);
        Assert.Equal(RunwareErrorCodes.InvalidApiKey, ex.First.Code);
        Assert.Contains("Runware__ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(RunwareHarness.ApiKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadImageAsync_TransientRunwareCodeInErrors_RetriesUnderAFreshTaskUuid()
    {
        await using var h = await RunwareHarness.StartAsync();
        var calls = 0;
        h.Server.Handler = r => Interlocked.Increment(ref calls) == 1
            ? StubReply.Errors(400, Entries.Error("timeoutProvider", "The provider timed out."))
            : StubReply.Data(Entries.Upload(r.TaskUuid));

        await h.Client.UploadImageAsync("aGVsbG8=");

        Assert.Equal(2, h.Server.Requests.Count);
        Assert.NotEqual(h.Server.Requests[0].TaskUuid, h.Server.Requests[1].TaskUuid);
    }

    [Fact]
    public async Task PreprocessAsync_Success_ReadsGuideImage()
    {
        await using var h = await RunwareHarness.StartAsync();
        var id = Guid.NewGuid();
        h.Server.Handler = r => StubReply.Data($$"""{"taskType":"controlNetPreprocess","taskUUID":"{{r.TaskUuid}}","guideImageUUID":"g-1","inputImageUUID":"i-1","guideImageURL":"http://127.0.0.1/g-1.png","cost":"0.0006"}""");

        var result = await h.Client.PreprocessAsync(RunwareTaskBuilder.BuildPreprocess(id, "img-1", PreprocessorType.Canny, low: 50, high: 150));

        Assert.Equal(new PreprocessResult("g-1", "http://127.0.0.1/g-1.png", "i-1", 0.0006), result);
        var task = Assert.Single(h.Server.Requests).Task!;
        Assert.Equal(id.ToString(), (string?)task["taskUUID"]);
        Assert.Equal("canny", (string?)task["preProcessorType"]);
        Assert.Equal(50, (int?)task["lowThresholdCanny"]);
    }

    [Fact]
    public async Task SubmitInferenceAsync_WithoutAsyncDelivery_ThrowsWithoutSending()
    {
        await using var h = await RunwareHarness.StartAsync();
        var task = Inference(Guid.NewGuid());
        task.Remove("deliveryMethod");

        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.SubmitInferenceAsync(task));

        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task UploadImageAsync_WrongBaseUrlAnsweringHtml404_ThrowsRejectedNamingBaseUrl()
    {
        await using var h = await RunwareHarness.StartAsync();
        h.Server.Handler = _ => new StubReply(404, "<html>Not Found</html>") { ContentType = "text/html" };

        var ex = await Assert.ThrowsAsync<RunwareRejectedException>(() => h.Client.UploadImageAsync("aGVsbG8="));

        Assert.Single(h.Server.Requests);
        Assert.Contains("Runware__BaseUrl", ex.Message, StringComparison.Ordinal);
    }
}
