using System.Text.Json;
using FluxFunctions.Testing;
using FluxFunctions.Testing.Api;
using SkiaSharp;

namespace FluxFunctions.Functions.Tests.Triggers;

/// <summary>The edit triggers end to end on the real durable engine: submit, follow, download, cancel.</summary>
[Collection(TriggerCollection.Name)]
public sealed class EditTriggersTests(TriggerFixture fixture)
{
    [Fact]
    public async Task CreateEdit_MultipartFill_CompletesAndGetEditOutputReturnsTheImage()
    {
        var triggers = new TriggerInvoker(fixture);
        var body = ApiCase.Multipart(
            [("image", ApiImages.Png(640, 480), "patio.png"), ("mask", ApiImages.Mask(640, 480), "patio.mask.png")],
            [("options", """{"tool":"fill","prompt":"a terracotta pot with lavender"}""")]);

        var accepted = await triggers.SendAsync("POST", "/api/edits", body);

        Assert.Equal(202, accepted.Status);
        var id = Json(accepted).GetProperty("id").GetString()!;
        Assert.Equal($"/api/edits/{id}", accepted.Location);
        var status = await WaitForFinalAsync(triggers, id);
        Assert.Equal("completed", status.GetProperty("status").GetString());

        var image = await triggers.SendAsync("GET", $"/api/edits/{id}/outputs/0");
        Assert.Equal(200, image.Status);
        Assert.Equal("image/png", image.ContentType);
        using var decoded = SKBitmap.Decode(image.Body);
        Assert.NotNull(decoded);
    }

    [Fact]
    public async Task CancelEdit_RunningJob_IsCanceled()
    {
        var triggers = new TriggerInvoker(fixture);
        var accepted = await triggers.SendAsync("POST", "/api/edits", ApiCase.Json($$"""{"tool":"redux","prompt":"emulator:slow=600000","image":"{{ApiImages.DataUri(ApiImages.Png(256, 256))}}"}"""));
        var id = Json(accepted).GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && Json(await triggers.SendAsync("GET", $"/api/edits/{id}")).GetProperty("stage").GetString() != "inferring")
        {
            await Task.Delay(200);
        }

        var canceled = await triggers.SendAsync("DELETE", $"/api/edits/{id}");

        Assert.Equal(200, canceled.Status);
        Assert.Equal("canceled", Json(canceled).GetProperty("status").GetString());
    }

    [Fact]
    public async Task CreateEdit_ChunkedBodyOverTheLimit_Is413()
    {
        // No Content-Length (a chunked upload): the cap is enforced while reading.
        var answer = await new TriggerInvoker(fixture).SendAsync("POST", "/api/edits", new StreamContent(new MemoryStream(new byte[ApiCases.MaxRequestBytes + 10])) { Headers = { ContentType = new("application/json") } }, sendLength: false);

        Assert.Equal(413, answer.Status);
        ApiAnswerAssert.IsProblem(answer, 413);
    }

    [Fact]
    public async Task Health_Trigger_AnswersWithoutSecrets()
    {
        var answer = await new TriggerInvoker(fixture).SendAsync("GET", "/api/health");

        Assert.Equal(200, answer.Status);
        Assert.DoesNotContain(fixture.ApiKey, answer.Text, StringComparison.Ordinal);
    }

    private static JsonElement Json(ApiAnswer answer) => JsonDocument.Parse(answer.Body).RootElement.Clone();

    private static async Task<JsonElement> WaitForFinalAsync(TriggerInvoker triggers, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var status = Json(await triggers.SendAsync("GET", $"/api/edits/{id}"));
            if (status.GetProperty("status").GetString() is "completed" or "failed" or "canceled")
            {
                return status;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Job {id} did not finish.");
    }
}
