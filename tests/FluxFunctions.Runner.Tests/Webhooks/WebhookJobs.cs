using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Runner.Tests.Api;
using FluxFunctions.Runner.Tests.Pipeline;
using FluxFunctions.Testing.Api;

namespace FluxFunctions.Runner.Tests.Webhooks;

/// <summary>Helpers of the webhook tests: submit edits, follow them, read what the emulator recorded.</summary>
internal static class WebhookJobs
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public const string Secret = "webhook-test-secret-0123456789abcdef";

    public static string Photo { get; } = ApiImages.DataUri(ApiImages.Png(256, 256));

    /// <summary>POST /api/edits; the job id.</summary>
    public static async Task<string> SubmitAsync(HttpClient client, string json)
    {
        var accepted = await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json(json));
        Assert.True(accepted.Status == 202, $"POST /api/edits answered {accepted.Status}: {accepted.Text}");
        return RunnerHttp.Json(accepted).GetProperty("id").GetString()!;
    }

    /// <summary>GET /api/edits/{id} as JSON.</summary>
    public static async Task<JsonObject> GetAsync(HttpClient client, string id)
    {
        var answer = await RunnerHttp.SendAsync(client, "GET", $"/api/edits/{id}");
        Assert.Equal(200, answer.Status);
        return JsonNode.Parse(answer.Body)!.AsObject();
    }

    /// <summary>Polls GET until <paramref name="done"/> holds.</summary>
    public static async Task<JsonObject> WaitUntilAsync(HttpClient client, string id, Func<JsonObject, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        JsonObject? last = null;
        while (DateTime.UtcNow < deadline)
        {
            // A blob job's id answers 404 until the drop has started it.
            var answer = await RunnerHttp.SendAsync(client, "GET", $"/api/edits/{id}");
            if (answer.Status == 200)
            {
                last = JsonNode.Parse(answer.Body)!.AsObject();
                if (done(last))
                {
                    return last;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Job {id}: {what} did not happen within {Timeout}; last: {last?.ToJsonString()}");
    }

    /// <summary>Waits until the job's completion callback was delivered or given up.</summary>
    public static Task<JsonObject> WaitForCallbackAsync(HttpClient client, string id) =>
        WaitUntilAsync(client, id, s => (string?)s["callback"]?["status"] is "delivered" or "failed", "the callback delivery");

    public static Task<JsonObject> WaitForEndAsync(HttpClient client, string id) =>
        WaitUntilAsync(client, id, s => (string?)s["status"] is "completed" or "failed" or "canceled", "the end");

    public static Task<JsonObject> WaitForStageAsync(HttpClient client, string id, string stage) =>
        WaitUntilAsync(client, id, s => (string?)s["stage"] == stage, $"stage {stage}");

    /// <summary>Every task the emulator received, with the sequence number of its request, in order.</summary>
    public static async Task<List<(long Seq, JsonObject Task)>> RecordedAsync(PipelineHarness p)
    {
        using var http = new HttpClient();
        var requests = JsonNode.Parse(await http.GetStringAsync(new Uri(p.Emulator.BaseAddress, "emulator/requests")))!.AsArray();
        return requests.OfType<JsonObject>()
            .Where(r => r["body"] is JsonArray)
            .SelectMany(r => r["body"]!.AsArray().OfType<JsonObject>().Select(t => ((long)r["seq"]!, t)))
            .OrderBy(x => x.Item1)
            .ToList();
    }

    /// <summary>The inference task the emulator received for a job (found by the job id in its webhookURL or by prompt).</summary>
    public static async Task<(long Seq, JsonObject Task)> InferenceOfAsync(PipelineHarness p, string jobId)
    {
        var tasks = await RecordedAsync(p);
        return tasks.Single(t => (string?)t.Task["taskType"] == "imageInference" && ((string?)t.Task["webhookURL"])?.Contains(jobId, StringComparison.Ordinal) == true);
    }

    /// <summary>The JSON without the members named.</summary>
    public static JsonObject Without(JsonObject json, params string[] names)
    {
        var copy = json.DeepClone().AsObject();
        foreach (var name in names)
        {
            copy.Remove(name);
        }

        return copy;
    }

    public static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
