using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FluxFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>How a Runware stand-in answers <c>getResponse</c> and <c>getTaskDetails</c> for a taskUUID it does not know
/// (Runware's docs are silent, so the pipeline must work with each).</summary>
public enum UnknownTaskAnswer
{
    /// <summary>HTTP 400 <c>{"errors":[{"code":"taskNotFound",…}]}</c>.</summary>
    TaskNotFound,

    /// <summary>HTTP 200 <c>{"data":[]}</c>.</summary>
    EmptyData,

    /// <summary>HTTP 400 with a code nobody lists, naming the taskUUID.</summary>
    BadRequest,
}

/// <summary>
/// A stand-in for Runware that is NOT the project's emulator: it applies no rules of its own, records every request
/// (headers and body) and answers in the documented shapes only: uploads get an imageUUID, async inferences an
/// acknowledgement, <c>getResponse</c> one entry per generation, <c>processing</c> for <see cref="LatencyMs"/> and then
/// <c>success</c> with an image it serves itself, <c>getTaskDetails</c> the original request. A taskUUID it does not know
/// gets the <see cref="UnknownTaskAnswer"/> it was started with. Tests check the recorded requests against SPEC §1 directly.
/// </summary>
internal sealed class RecordingRunware : IAsyncDisposable
{
    private readonly ConcurrentQueue<(IHeaderDictionary Headers, JsonArray Body)> requests = new();
    private readonly ConcurrentDictionary<string, (JsonObject Task, DateTimeOffset Done)> inferences = new();
    private readonly UnknownTaskAnswer unknown;
    private LoopbackServer? server;

    private RecordingRunware(UnknownTaskAnswer unknown, int forget)
    {
        this.unknown = unknown;
        ForgetSubmissions = forget;
    }

    public Uri ApiUrl => server!.Url("v1");

    /// <summary>How long an inference shows <c>processing</c>.</summary>
    public int LatencyMs { get; init; } = 300;

    /// <summary>How many submissions of each inference taskUUID are acknowledged and then lost (never shown again).</summary>
    public int ForgetSubmissions { get; }

    public IReadOnlyList<(IHeaderDictionary Headers, JsonArray Body)> Requests => requests.ToList();

    public IEnumerable<JsonObject> Tasks(string type) =>
        requests.SelectMany(r => r.Body.OfType<JsonObject>()).Where(t => (string?)t["taskType"] == type);

    public static async Task<RecordingRunware> StartAsync(UnknownTaskAnswer unknown = UnknownTaskAnswer.TaskNotFound, int forget = 0)
    {
        var runware = new RecordingRunware(unknown, forget);
        runware.server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1", (Func<HttpContext, Task<IResult>>)runware.HandleAsync);
            app.MapGet("/img/{w:int}x{h:int}.png", (int w, int h) => Results.Bytes(Png(w, h), "image/png"));
        });
        return runware;
    }

    public ValueTask DisposeAsync() => server?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsArray();
        requests.Enqueue((new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value)), body));
        var data = new JsonArray();
        var errors = new JsonArray();
        foreach (var task in body.OfType<JsonObject>())
        {
            var id = (string)task["taskUUID"]!;
            switch ((string?)task["taskType"])
            {
                case "imageUpload":
                    data.Add(new JsonObject { ["taskType"] = "imageUpload", ["taskUUID"] = id, ["imageUUID"] = Guid.NewGuid().ToString() });
                    break;
                case "controlNetPreprocess":
                    data.Add(new JsonObject { ["taskType"] = "controlNetPreprocess", ["taskUUID"] = id, ["guideImageUUID"] = Guid.NewGuid().ToString() });
                    break;
                case "imageInference":
                    if (Tasks("imageInference").Count(t => (string?)t["taskUUID"] == id) > ForgetSubmissions)
                    {
                        inferences.TryAdd(id, (task, DateTimeOffset.UtcNow.AddMilliseconds(LatencyMs)));
                    }

                    data.Add(new JsonObject { ["taskType"] = "imageInference", ["taskUUID"] = id, ["status"] = "processing" });
                    break;
                case "getResponse" when inferences.TryGetValue(id, out var inference):
                    foreach (var entry in Generations(id, inference.Task, DateTimeOffset.UtcNow >= inference.Done))
                    {
                        data.Add(entry);
                    }

                    break;
                case "getTaskDetails" when inferences.TryGetValue(id, out var inference):
                    data.Add(new JsonObject { ["taskType"] = "getTaskDetails", ["taskUUID"] = id, ["request"] = inference.Task.DeepClone(), ["response"] = new JsonObject { ["data"] = new JsonArray(Generations(id, inference.Task, DateTimeOffset.UtcNow >= inference.Done).ToArray<JsonNode?>()) } });
                    break;
                case "getResponse" or "getTaskDetails" when unknown == UnknownTaskAnswer.TaskNotFound:
                    errors.Add(new JsonObject { ["code"] = "taskNotFound", ["message"] = "unknown task", ["parameter"] = "taskUUID", ["taskType"] = (string?)task["taskType"], ["taskUUID"] = id });
                    break;
                case "getResponse" or "getTaskDetails" when unknown == UnknownTaskAnswer.BadRequest:
                    errors.Add(new JsonObject { ["code"] = "invalidValue", ["message"] = "no such value", ["parameter"] = "taskUUID", ["taskType"] = (string?)task["taskType"], ["taskUUID"] = id });
                    break;
            }
        }

        return errors.Count > 0 && data.Count == 0
            ? Results.Json(new JsonObject { ["errors"] = errors }, statusCode: 400)
            : Results.Json(new JsonObject { ["data"] = data });
    }

    /// <summary>Every submission of each inference taskUUID (to see that none is paid twice).</summary>
    public IReadOnlyDictionary<string, int> SubmissionsPerTask() =>
        Tasks("imageInference").GroupBy(t => (string)t["taskUUID"]!).ToDictionary(g => g.Key, g => g.Count());

    private IEnumerable<JsonObject> Generations(string id, JsonObject inference, bool done)
    {
        for (var i = 0; i < ((int?)inference["numberResults"] ?? 1); i++)
        {
            yield return done
                ? new JsonObject
                {
                    ["taskType"] = "imageInference",
                    ["taskUUID"] = id,
                    ["status"] = "success",
                    ["imageUUID"] = $"{id[..30]}{i:D6}",
                    ["imageURL"] = server!.Url($"img/{(int?)inference["width"] ?? 1024}x{(int?)inference["height"] ?? 768}.png").ToString(),
                    ["seed"] = 1234 + i,
                    ["cost"] = 0.002,
                }
                : new JsonObject { ["taskType"] = "imageInference", ["taskUUID"] = id, ["status"] = "processing" };
        }
    }

    private static byte[] Png(int w, int h)
    {
        using var bitmap = new SKBitmap(w, h);
        bitmap.Erase(SKColors.SteelBlue);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
