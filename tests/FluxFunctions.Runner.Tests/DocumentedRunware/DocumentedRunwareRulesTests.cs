using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace FluxFunctions.Runner.Tests.DocumentedRunware;

/// <summary>
/// The stand-in itself: it refuses what the docs forbid (so "it refused nothing" in <see cref="DocumentedRunwareTests"/>
/// means something), answers the documented shapes, and gives each unknown-task answer.
/// </summary>
public sealed class DocumentedRunwareRulesTests
{
    private const string Png1x1 = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    public static TheoryData<string, string> Broken => new()
    {
        { """{"model":"runware:102@1","maskMargin":64}""", "maskMargin" },
        { """{"model":"runware:102@1","strength":0.5}""", "strength" },
        { """{"model":"runware:102@1","maskImage":null}""", "maskImage" },
        { """{"model":"runware:104@1","weight":0.5}""", "weight" },
        { """{"model":"runware:103@1","controlNet":[]}""", "controlNet" },
        { """{"model":"runware:101@1","seedImage":null,"ipAdapters":[{"model":"runware:105@1","guideImage":"IMG","weight":0.7}]}""", "ipAdapters.weight" },
        { """{"model":"runware:104@1","ipAdapters":[{"model":"runware:105@1","guideImage":"IMG"}]}""", "model" },
        { """{"model":"runware:102@1","width":1000}""", "width" },
        { """{"model":"runware:102@1","height":2112}""", "height" },
        { """{"model":"runware:102@1","steps":0}""", "steps" },
        { """{"model":"runware:102@1","CFGScale":51}""", "CFGScale" },
        { """{"model":"runware:102@1","numberResults":21}""", "numberResults" },
        { """{"model":"runware:102@1","positivePrompt":"a"}""", "positivePrompt" },
        { """{"model":"runware:102@1","outputFormat":"png"}""", "outputFormat" },
        { """{"model":"runware:102@1","seedImage":"0b9e8b4a-8a34-4d1c-9f3e-6c1d2b3a4e5f"}""", "seedImage" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task Inference_BreaksADocumentedRule_RefusedWithAnErrorNamingTheParameter(string change, string parameter)
    {
        await using var runware = await DocumentedRunware.StartAsync(UnknownTaskReply.EmptyData);
        using var http = new HttpClient();
        var upload = await PostAsync(http, runware, new JsonObject { ["taskType"] = "imageUpload", ["taskUUID"] = Guid.NewGuid().ToString(), ["image"] = Png1x1 });
        var imageUuid = (string)upload.Json["data"]!["imageUUID"]!;

        var task = new JsonObject
        {
            ["taskType"] = "imageInference",
            ["taskUUID"] = Guid.NewGuid().ToString(),
            ["positivePrompt"] = "a blue door",
            ["width"] = 1024,
            ["height"] = 768,
            ["seedImage"] = imageUuid,
            ["maskImage"] = imageUuid,
            ["deliveryMethod"] = "async",
        };
        foreach (var (k, v) in JsonNode.Parse(change.Replace("IMG", imageUuid, StringComparison.Ordinal))!.AsObject())
        {
            if (v is null)
            {
                task.Remove(k);
            }
            else
            {
                task[k] = v.DeepClone();
            }
        }

        var (status, json) = await PostAsync(http, runware, task);

        Assert.Equal(400, status);
        var error = Assert.Single(json["errors"]!.AsArray())!;
        Assert.Equal(parameter, (string?)error["parameter"]);
        Assert.Equal("imageInference", (string?)error["taskType"]);
        Assert.Equal((string?)task["taskUUID"], (string?)error["taskUUID"]);
        Assert.False(string.IsNullOrEmpty((string?)error["code"]) || string.IsNullOrEmpty((string?)error["message"]) || string.IsNullOrEmpty((string?)error["documentation"]));
        Assert.Single(runware.Refusals);
    }

    [Theory]
    [InlineData(UnknownTaskReply.EmptyData, 200)]
    [InlineData(UnknownTaskReply.TaskNotFound, 400)]
    public async Task AsyncInference_PolledBeforeAndAfter_UnknownAnswerThenProcessingThenSuccess(UnknownTaskReply unknown, int unknownStatus)
    {
        // 1.5 s per generation: the partial result stays visible that long, so a poll every 50 ms sees it even when a loaded
        // machine (a CI run) makes a request take several hundred milliseconds (with 500 ms one run missed it).
        await using var runware = await DocumentedRunware.StartAsync(unknown, latencyMs: 1500);
        using var http = new HttpClient();
        var never = await PostAsync(http, runware, new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = Guid.NewGuid().ToString() });
        Assert.Equal(unknownStatus, never.Status);
        if (unknown == UnknownTaskReply.EmptyData)
        {
            Assert.Empty(never.Json["data"]!.AsArray());
        }
        else
        {
            Assert.Equal("taskNotFound", (string?)never.Json["errors"]![0]!["code"]);
        }

        var id = Guid.NewGuid().ToString();
        var guide = await PostAsync(http, runware, new JsonObject { ["taskType"] = "imageUpload", ["taskUUID"] = Guid.NewGuid().ToString(), ["image"] = Png1x1 });
        var ack = await PostAsync(http, runware, new JsonObject
        {
            ["taskType"] = "imageInference",
            ["taskUUID"] = id,
            ["model"] = "runware:101@1",
            ["positivePrompt"] = "__BLANK__",
            ["width"] = 640,
            ["height"] = 448,
            ["numberResults"] = 2,
            ["includeCost"] = true,
            ["deliveryMethod"] = "async",
            ["ipAdapters"] = new JsonArray(new JsonObject { ["model"] = "runware:105@1", ["guideImage"] = (string)guide.Json["data"]!["imageUUID"]! }),
        });
        Assert.Equal("processing", (string?)ack.Json["data"]![0]!["status"]);
        var running = await PostAsync(http, runware, new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = id });
        Assert.All(running.Json["data"]!.AsArray(), e => Assert.Equal("processing", (string?)e!["status"]));

        // Each generation shows its own status; the first finished one is there before the second ("partial results").
        var statuses = new List<string>();
        JsonArray results;
        do
        {
            await Task.Delay(50);
            results = (await PostAsync(http, runware, new JsonObject { ["taskType"] = "getResponse", ["taskUUID"] = id })).Json["data"]!.AsArray();
            statuses.Add(string.Join('+', results.Select(e => (string?)e!["status"])));
        }
        while (results.Any(e => (string?)e!["status"] != "success"));

        Assert.Contains("success+processing", statuses);
        Assert.Equal(2, results.Count);
        Assert.All(results, e => Assert.Equal("success", (string?)e!["status"]));
        using var image = SkiaSharp.SKBitmap.Decode(await http.GetByteArrayAsync(new Uri((string)results[0]!["imageURL"]!)));
        Assert.Equal((640, 448), (image.Width, image.Height));

        var details = await PostAsync(http, runware, new JsonObject { ["taskType"] = "getTaskDetails", ["taskUUID"] = id });
        Assert.Equal(id, (string?)details.Json["data"]![0]!["request"]![0]!["taskUUID"]);
        Assert.Empty(runware.Refusals);
    }

    private static async Task<(int Status, JsonNode Json)> PostAsync(HttpClient http, DocumentedRunware runware, JsonObject task)
    {
        using var answer = await http.PostAsJsonAsync(runware.ApiUrl, new JsonArray(task));
        return ((int)answer.StatusCode, JsonNode.Parse(await answer.Content.ReadAsStringAsync())!);
    }
}
