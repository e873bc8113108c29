using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FluxFunctions.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests.DocumentedRunware;

/// <summary>
/// What a Runware stand-in answers for <c>getResponse</c> or <c>getTaskDetails</c> of a taskUUID it has never seen (or not
/// yet shows). The docs are silent (task-responses: the system "checks active operations"), so both are plausible.
/// </summary>
public enum UnknownTaskReply
{
    /// <summary>HTTP 200 <c>{"data": []}</c>: nothing for that task.</summary>
    EmptyData,

    /// <summary>HTTP 400 <c>{"errors": [{"code": "taskNotFound", …}]}</c> in the errors page's shape.</summary>
    TaskNotFound,
}

/// <summary>One request the stand-in received, with what it answered.</summary>
internal sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, JsonNode? Body, int Status, JsonObject Answer, DateTimeOffset At);

/// <summary>
/// A small Runware stand-in written from Runware's documentation (README.md in this folder lists the pages), independent
/// of the project's emulator: POST /v1 takes a JSON array of tasks and answers <c>{"data": …}</c> and/or
/// <c>{"errors": […]}</c>; imageUpload, controlNetPreprocess (sync), imageInference (sync, or async: acknowledged, then
/// <c>getResponse</c> shows each generation <c>processing</c> and then <c>success</c>), getTaskDetails; results are URLs
/// it serves itself. Every imageInference is checked against <see cref="DocumentedRules"/>; a task that breaks a rule is
/// refused (HTTP 400) and kept in <see cref="Refusals"/>. Every request is recorded.
/// </summary>
internal sealed class DocumentedRunware : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();
    private readonly ConcurrentQueue<JsonObject> refusals = new();
    private readonly ConcurrentDictionary<string, KnownTask> tasks = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (int Width, int Height)> images = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> unreadable = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<System.Threading.Tasks.Task> deliveries = [];
    private readonly CancellationTokenSource stopping = new();
    private int unknownAnswers;
    private int asyncAccepted;
    private int webhooksDelivered;
    private LoopbackServer? server;

    private DocumentedRunware(UnknownTaskReply unknown) => Unknown = unknown;

    public UnknownTaskReply Unknown { get; }

    /// <summary>When set, requests must carry <c>Authorization: Bearer {ApiKey}</c> (errors page: <c>invalidApiKey</c>).</summary>
    public string? ApiKey { get; init; }

    /// <summary>How long an async inference shows <c>processing</c>.</summary>
    public int LatencyMs { get; init; } = 300;

    /// <summary>
    /// How long an accepted async inference stays unknown to getResponse/getTaskDetails (answered per
    /// <see cref="Unknown"/>). Not documented either way; a small value makes the unknown-task answer actually happen.
    /// </summary>
    public int VisibleAfterMs { get; init; }

    /// <summary>
    /// How many async inferences are acknowledged and then lost: never shown by getResponse or getTaskDetails, never run.
    /// Their taskUUIDs stay used ("must be unique for each task you send").
    /// </summary>
    public int LoseFirst { get; init; }

    /// <summary>For checking that a test can fail: async inferences never finish.</summary>
    public bool NeverFinish { get; init; }

    public Uri ApiUrl => server!.Url("v1");

    public IReadOnlyList<ReceivedRequest> Requests => [.. requests];

    /// <summary>Every error object the stand-in answered for a task that broke a documented rule.</summary>
    public IReadOnlyList<JsonObject> Refusals => [.. refusals];

    /// <summary>How many webhook POSTs were answered 2xx.</summary>
    public int WebhooksDelivered => Volatile.Read(ref webhooksDelivered);

    /// <summary>How many getResponse/getTaskDetails were answered as "unknown task".</summary>
    public int UnknownAnswers => Volatile.Read(ref unknownAnswers);

    public IEnumerable<JsonObject> Tasks(string type) =>
        requests.Select(r => r.Body).OfType<JsonArray>().SelectMany(b => b.OfType<JsonObject>()).Where(t => DocumentedRules.Str(t, "taskType") == type);

    public static async Task<DocumentedRunware> StartAsync(UnknownTaskReply unknown, string? apiKey = null, int latencyMs = 300, int visibleAfterMs = 0, bool neverFinish = false, int loseFirst = 0)
    {
        var runware = new DocumentedRunware(unknown) { ApiKey = apiKey, LatencyMs = latencyMs, VisibleAfterMs = visibleAfterMs, NeverFinish = neverFinish, LoseFirst = loseFirst };
        runware.server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1", (Func<HttpContext, Task<IResult>>)runware.HandleAsync);
            app.MapGet("/results/{name}", (string name) => runware.Result(name));
        });
        return runware;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await System.Threading.Tasks.Task.WhenAll(deliveries);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body);
        }
        catch (System.Text.Json.JsonException)
        {
            body = null;
        }

        await FetchUrlsAsync(body, http.RequestAborted);
        var (status, answer) = Answer(headers, body);
        requests.Enqueue(new ReceivedRequest(headers, body, status, answer, DateTimeOffset.UtcNow));
        return Results.Json(answer, statusCode: status);
    }

    private (int Status, JsonObject Answer) Answer(IReadOnlyDictionary<string, string> headers, JsonNode? body)
    {
        // Errors page example: a missing or wrong key is {"code":"invalidApiKey","parameter":"apiKey","taskType":"authentication"}.
        if (ApiKey is not null && (!headers.TryGetValue("Authorization", out var auth) || auth != "Bearer " + ApiKey))
        {
            var error = DocumentedRules.Error("invalidApiKey", "Invalid API key.", "apiKey", "authentication", null, "https://runware.ai/docs/en/getting-started/how-to-connect");
            refusals.Enqueue(error);
            return (401, new JsonObject { ["errors"] = new JsonArray(error) });
        }

        // "Our API always accepts an array of objects as input" (every task page).
        if (body is not JsonArray array || array.Count == 0 || array.Any(t => t is not JsonObject))
        {
            var error = DocumentedRules.Error("invalidRequestBody", "The body must be a non-empty JSON array of task objects.", null, null, null, "https://runware.ai/docs/en/image-inference/api-reference#request");
            refusals.Enqueue(error);
            return (400, new JsonObject { ["errors"] = new JsonArray(error) });
        }

        var data = new List<JsonObject>();
        var errors = new List<JsonObject>();
        foreach (var task in array.OfType<JsonObject>())
        {
            var (entries, taskErrors, isRefusal) = Run(task);
            data.AddRange(entries);
            errors.AddRange(taskErrors);
            if (isRefusal)
            {
                foreach (var e in taskErrors)
                {
                    refusals.Enqueue((JsonObject)e.DeepClone());
                }
            }
        }

        var answer = new JsonObject();

        // image-upload page, Response: "data" is the upload's object itself, not an array, in its only example.
        if (array.Count == 1 && DocumentedRules.Str((JsonObject)array[0]!, "taskType") == "imageUpload" && data.Count == 1)
        {
            answer["data"] = data[0];
        }
        else if (data.Count > 0 || errors.Count == 0)
        {
            answer["data"] = new JsonArray([.. data]);
        }

        if (errors.Count > 0)
        {
            answer["errors"] = new JsonArray([.. errors]);
        }

        // Errors page: "errors are scoped to the specific task that failed, while other tasks in the same request may still
        // succeed". The HTTP status of a mixed answer is not documented: 200 when anything succeeded, else 400.
        return (data.Count == 0 && errors.Count > 0 ? 400 : 200, answer);
    }

    private (List<JsonObject> Data, List<JsonObject> Errors, bool Refusal) Run(JsonObject task)
    {
        var common = DocumentedRules.Common(task).ToList();
        if (common.Count > 0)
        {
            return ([], common, true);
        }

        var type = DocumentedRules.Str(task, "taskType")!;
        var id = DocumentedRules.Str(task, "taskUUID")!;
        return type switch
        {
            "imageUpload" => Register(task, id, DocumentedRules.Upload(task, images.ContainsKey), Upload),
            "controlNetPreprocess" => Register(task, id, DocumentedRules.Preprocess(task, images.ContainsKey), Preprocess),
            "imageInference" => Register(task, id, DocumentedRules.Inference(task, images.ContainsKey), Infer),
            "getResponse" => Poll(id),
            _ => Details(id),
        };
    }

    /// <summary>Refuses a task that breaks a rule or reuses a taskUUID ("The taskUUID must be unique for each task you send to the API"), else runs it.</summary>
    private (List<JsonObject>, List<JsonObject>, bool) Register(JsonObject task, string id, IEnumerable<JsonObject> broken, Func<KnownTask, List<JsonObject>> run)
    {
        var errors = broken.ToList();
        var type = DocumentedRules.Str(task, "taskType");
        var entry = new KnownTask(type!, id, (JsonObject)task.DeepClone(), DateTimeOffset.UtcNow);
        if (errors.Count == 0 && !tasks.TryAdd(id, entry))
        {
            errors.Add(DocumentedRules.Error("duplicateTaskUUID", $"taskUUID {id} was already used; it must be unique for each task.", "taskUUID", type, id, "https://runware.ai/docs/en/image-inference/api-reference#request-taskuuid"));
        }

        if (errors.Count > 0)
        {
            return ([], errors, true);
        }

        var data = run(entry);
        entry.Response = new JsonObject { ["data"] = new JsonArray([.. data.Select(d => d.DeepClone())]) };
        return (data, [], false);
    }

    /// <summary>image-upload page, Response: taskType, taskUUID, imageUUID.</summary>
    private List<JsonObject> Upload(KnownTask task)
    {
        var imageUuid = Guid.NewGuid().ToString();
        var image = DocumentedRules.Str(task.Request, "image")!;
        images[imageUuid] = images.TryGetValue(image, out var fetched) ? fetched : SizeOf(image) ?? (1024, 1024);
        return [new JsonObject { ["taskType"] = "imageUpload", ["taskUUID"] = task.Id, ["imageUUID"] = imageUuid }];
    }

    /// <summary>controlNetPreprocess: guideImageUUID and guideImageURL of the guide, same size as the input.</summary>
    private List<JsonObject> Preprocess(KnownTask task)
    {
        var input = DocumentedRules.Str(task.Request, "inputImage")!;
        var size = images.TryGetValue(input, out var known) ? known : SizeOf(input) ?? (1024, 1024);
        var guide = Guid.NewGuid().ToString();
        images[guide] = size;
        var entry = new JsonObject
        {
            ["taskType"] = "controlNetPreprocess",
            ["taskUUID"] = task.Id,
            ["guideImageUUID"] = guide,
            ["guideImageURL"] = server!.Url($"results/{guide}.png").ToString(),
        };
        if (task.Request["includeCost"]?.GetValue<bool>() == true)
        {
            entry["cost"] = 0.0006;
        }

        return [entry];
    }

    /// <summary>
    /// api-reference deliveryMethod: "async" "Returns an immediate acknowledgment with the task UUID"; "sync" (the default)
    /// returns the results in the answer.
    /// </summary>
    private List<JsonObject> Infer(KnownTask task)
    {
        if (DocumentedRules.Str(task.Request, "deliveryMethod") == "async")
        {
            task.Lost = Interlocked.Increment(ref asyncAccepted) <= LoseFirst;
            if (DocumentedRules.Str(task.Request, "webhookURL") is { } webhook && !NeverFinish && !task.Lost)
            {
                deliveries.Add(DeliverAsync(task, new Uri(webhook), stopping.Token));
            }

            return [new JsonObject { ["taskType"] = "imageInference", ["taskUUID"] = task.Id, ["status"] = "processing" }];
        }

        return Generations(task, allDone: true);
    }

    /// <summary>
    /// Webhooks page: "when the task completes, sends an HTTP POST request to your URL with the complete task response as
    /// JSON"; "For batch requests with multiple results, each completed item triggers a separate webhook call"; "Your
    /// endpoint must respond with a 2xx status code to confirm receipt. If it doesn't, Runware will retry delivery". Read
    /// here as one POST per generation whose body is the response envelope <c>{"data": [that generation]}</c>; retried
    /// up to 5 times (the docs' retry schedule is not read here).
    /// </summary>
    private async System.Threading.Tasks.Task DeliverAsync(KnownTask task, Uri webhook, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var entries = Generations(task, allDone: true);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (task.Accepted.AddMilliseconds(LatencyMs * (i + 1)) - DateTimeOffset.UtcNow is { TotalMilliseconds: > 0 } wait)
            {
                await System.Threading.Tasks.Task.Delay(wait, cancellationToken);
            }

            for (var attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    using var content = new StringContent(new JsonObject { ["data"] = new JsonArray(entry.DeepClone()) }.ToJsonString(), Encoding.UTF8, "application/json");
                    using var answer = await http.PostAsync(webhook, content, cancellationToken);
                    if (answer.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref webhooksDelivered);
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }

                await System.Threading.Tasks.Task.Delay(250 << attempt, cancellationToken);
            }
        }
    }

    /// <summary>task-responses page: one entry per generation, <c>processing</c> or <c>success</c> with its outputs.</summary>
    private (List<JsonObject>, List<JsonObject>, bool) Poll(string id)
    {
        if (!tasks.TryGetValue(id, out var task) || task.Type != "imageInference" || !Visible(task))
        {
            return UnknownTask("getResponse", id);
        }

        return (Generations(task), [], false);
    }

    /// <summary>task-details page: the original request and the response of a previously executed task.</summary>
    private (List<JsonObject>, List<JsonObject>, bool) Details(string id)
    {
        if (!tasks.TryGetValue(id, out var task) || !Visible(task))
        {
            return UnknownTask("getTaskDetails", id);
        }

        var response = task.Type == "imageInference" && DocumentedRules.Str(task.Request, "deliveryMethod") == "async"
            ? new JsonObject { ["data"] = new JsonArray([.. Generations(task)]) }
            : task.Response!.DeepClone();
        return ([new JsonObject { ["taskType"] = "getTaskDetails", ["taskUUID"] = id, ["request"] = new JsonArray(task.Request.DeepClone()), ["response"] = response }], [], false);
    }

    private (List<JsonObject>, List<JsonObject>, bool) UnknownTask(string type, string id)
    {
        Interlocked.Increment(ref unknownAnswers);
        return Unknown == UnknownTaskReply.EmptyData
            ? ([], [], false)
            : ([], [DocumentedRules.Error("taskNotFound", $"No task with taskUUID {id} was found.", "taskUUID", type, id, "https://runware.ai/docs/en/utilities/task-responses#request-taskuuid")], false);
    }

    private bool Visible(KnownTask task) => !task.Lost && DateTimeOffset.UtcNow >= task.Accepted.AddMilliseconds(VisibleAfterMs);

    /// <summary>Generation <paramref name="index"/> finishes <see cref="LatencyMs"/> after the one before it.</summary>
    private bool Done(KnownTask task, int index) => !NeverFinish && DateTimeOffset.UtcNow >= task.Accepted.AddMilliseconds(LatencyMs * (index + 1));

    /// <summary>
    /// task-responses page: "Returns the current status of each generation"; "Provides results as they become available.
    /// Completed generations include their final outputs, so you can access partial results".
    /// </summary>
    private List<JsonObject> Generations(KnownTask task, bool allDone = false)
    {
        var request = task.Request;
        var count = (int)(DocumentedRules.Int(request, "numberResults") ?? 1);
        var format = DocumentedRules.Str(request, "outputFormat") ?? "JPG";
        var outputType = DocumentedRules.Str(request, "outputType") ?? "URL";
        var list = new List<JsonObject>();
        for (var i = 0; i < count; i++)
        {
            if (!allDone && !Done(task, i))
            {
                list.Add(new JsonObject { ["taskType"] = "imageInference", ["taskUUID"] = task.Id, ["status"] = "processing" });
                continue;
            }

            var imageUuid = DerivedUuid(task.Id, i);
            var size = ((int)(DocumentedRules.Int(request, "width") ?? 1024), (int)(DocumentedRules.Int(request, "height") ?? 1024));
            images[imageUuid] = size;
            var entry = new JsonObject
            {
                ["taskType"] = "imageInference",
                ["taskUUID"] = task.Id,
                ["status"] = "success",
                ["imageUUID"] = imageUuid,
            };
            var name = $"{imageUuid}.{Extension(format)}";
            switch (outputType)
            {
                case "base64Data":
                    entry["imageBase64Data"] = Convert.ToBase64String(Render(name));
                    break;
                case "dataURI":
                    entry["imageDataURI"] = $"data:{ContentType(format)};base64,{Convert.ToBase64String(Render(name))}";
                    break;
                default:
                    entry["imageURL"] = server!.Url($"results/{name}").ToString();
                    break;
            }

            // api-reference: seed "Random" by default (reported back); each result has "a different seed".
            entry["seed"] = (DocumentedRules.Int(request, "seed") ?? (1 + (BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(task.Id))) % int.MaxValue))) + i;
            if (request["includeCost"]?.GetValue<bool>() == true)
            {
                entry["cost"] = 0.0038;
            }

            list.Add(entry);
        }

        return list;
    }

    /// <summary>
    /// Image fields may be "A URL pointing to the image. The image must be accessible publicly." (api-reference,
    /// image-upload): each URL is fetched once without credentials, and known as an image only when it answers 2xx with a
    /// PNG, JPG or WEBP ("Supported formats are: PNG, JPG and WEBP").
    /// </summary>
    private async Task FetchUrlsAsync(JsonNode? body, CancellationToken cancellationToken)
    {
        if (body is not JsonArray array)
        {
            return;
        }

        var urls = array.OfType<JsonObject>()
            .SelectMany(t => new[] { t["seedImage"], t["maskImage"], t["image"], t["inputImage"] }
                .Concat((t["ipAdapters"] as JsonArray ?? []).OfType<JsonObject>().Select(a => a["guideImage"])))
            .OfType<JsonValue>()
            .Select(v => v.TryGetValue<string>(out var s) ? s : null)
            .OfType<string>()
            .Where(s => DocumentedRules.IsUrl(s) && !images.ContainsKey(s) && !unreadable.ContainsKey(s))
            .Distinct(StringComparer.Ordinal);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var url in urls)
        {
            try
            {
                using var answer = await http.GetAsync(new Uri(url), cancellationToken);
                var bytes = await answer.Content.ReadAsByteArrayAsync(cancellationToken);
                using var codec = answer.IsSuccessStatusCode ? SKCodec.Create(new MemoryStream(bytes)) : null;
                if (codec is { EncodedFormat: SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Webp })
                {
                    images[url] = (codec.Info.Width, codec.Info.Height);
                }
                else
                {
                    unreadable[url] = $"HTTP {(int)answer.StatusCode}, {(codec is null ? "not an image" : codec.EncodedFormat.ToString())}";
                }
            }
            catch (HttpRequestException e)
            {
                unreadable[url] = e.Message;
            }
        }
    }

    private IResult Result(string name)
    {
        var uuid = Path.GetFileNameWithoutExtension(name);
        return images.ContainsKey(uuid) ? Results.Bytes(Render(name), ContentType(Path.GetExtension(name).TrimStart('.'))) : Results.NotFound();
    }

    /// <summary>A small deterministic image of the recorded size: a colour from the image UUID with a diagonal band.</summary>
    private byte[] Render(string name)
    {
        var uuid = Path.GetFileNameWithoutExtension(name);
        var (w, h) = images[uuid];
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(uuid));
        using var bitmap = new SKBitmap(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(hash[0], hash[1], hash[2]));
            using var paint = new SKPaint { Color = new SKColor(hash[3], hash[4], hash[5]), StrokeWidth = Math.Max(w, h) / 8f };
            canvas.DrawLine(0, 0, w, h, paint);
        }

        var format = Path.GetExtension(name).TrimStart('.') switch
        {
            "jpg" => SKEncodedImageFormat.Jpeg,
            "webp" => SKEncodedImageFormat.Webp,
            _ => SKEncodedImageFormat.Png,
        };
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    private static (int, int)? SizeOf(string image)
    {
        var comma = image.StartsWith("data:", StringComparison.Ordinal) ? image.IndexOf(',', StringComparison.Ordinal) + 1 : 0;
        try
        {
            using var codec = SKCodec.Create(new MemoryStream(Convert.FromBase64String(image[comma..])));
            return codec is null ? null : (codec.Info.Width, codec.Info.Height);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string DerivedUuid(string taskUuid, int index)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{taskUuid}/{index}")))[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    private static string Extension(string format) => format switch { "PNG" => "png", "WEBP" => "webp", _ => "jpg" };

    private static string ContentType(string format) => format.ToUpperInvariant() switch
    {
        "PNG" => "image/png",
        "WEBP" => "image/webp",
        _ => "image/jpeg",
    };

    /// <summary>A task the stand-in accepted.</summary>
    private sealed class KnownTask(string type, string id, JsonObject request, DateTimeOffset accepted)
    {
        public string Type { get; } = type;

        public string Id { get; } = id;

        public JsonObject Request { get; } = request;

        public DateTimeOffset Accepted { get; } = accepted;

        public JsonObject? Response { get; set; }

        public bool Lost { get; set; }
    }
}
