using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FluxFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SkiaSharp;

namespace FluxFunctions.Host.Tests.Pipeline;

/// <summary>
/// A stand-in for Runware that is NOT the project's emulator: it applies no rules of its own, records every request
/// (headers and body) and answers generically (uploads get an imageUUID, async inferences an acknowledgement, getResponse
/// a finished image it serves itself). Tests check the recorded requests against SPEC §1 directly.
/// </summary>
internal sealed class RecordingRunware : IAsyncDisposable
{
    private readonly ConcurrentQueue<(IHeaderDictionary Headers, JsonArray Body)> requests = new();
    private readonly ConcurrentDictionary<string, JsonObject> inferences = new();
    private LoopbackServer? server;

    public Uri ApiUrl => server!.Url("v1");

    public IReadOnlyList<(IHeaderDictionary Headers, JsonArray Body)> Requests => requests.ToList();

    public IEnumerable<JsonObject> Tasks(string type) =>
        requests.SelectMany(r => r.Body.OfType<JsonObject>()).Where(t => (string?)t["taskType"] == type);

    public static async Task<RecordingRunware> StartAsync()
    {
        var runware = new RecordingRunware();
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
                    inferences[id] = task;
                    data.Add(new JsonObject { ["taskType"] = "imageInference", ["taskUUID"] = id, ["status"] = "processing" });
                    break;
                case "getResponse" when inferences.TryGetValue(id, out var inference):
                    for (var i = 0; i < ((int?)inference["numberResults"] ?? 1); i++)
                    {
                        data.Add(new JsonObject
                        {
                            ["taskType"] = "imageInference",
                            ["taskUUID"] = id,
                            ["status"] = "success",
                            ["imageUUID"] = Guid.NewGuid().ToString(),
                            ["imageURL"] = server!.Url($"img/{(int)inference["width"]!}x{(int)inference["height"]!}.png").ToString(),
                            ["seed"] = 1234 + i,
                            ["cost"] = 0.002,
                        });
                    }

                    break;
                case "getResponse":
                    errors.Add(new JsonObject { ["code"] = "taskNotFound", ["message"] = "unknown task", ["taskUUID"] = id });
                    break;
            }
        }

        return errors.Count > 0 && data.Count == 0
            ? Results.Json(new JsonObject { ["errors"] = errors }, statusCode: 400)
            : Results.Json(new JsonObject { ["data"] = data });
    }

    private static byte[] Png(int w, int h)
    {
        using var bitmap = new SKBitmap(w, h);
        bitmap.Erase(SKColors.SteelBlue);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
