using System.Text.Json.Nodes;

namespace FluxFunctions.Emulator.Tests.Support;

/// <summary>Valid Runware tasks as the FluxFunctions client sends them; tests mutate them to break one rule.</summary>
public static class RunwareTasks
{
    public const string Fill = "runware:102@1";
    public const string Depth = "runware:103@1";
    public const string Canny = "runware:104@1";
    public const string Redux = "runware:105@1";
    public const string Dev = "runware:101@1";

    public static string NewUuid() => Guid.NewGuid().ToString("D");

    public static JsonObject Upload(string image) => new()
    {
        ["taskType"] = "imageUpload",
        ["taskUUID"] = NewUuid(),
        ["image"] = image,
    };

    public static JsonObject Inference(string model, int size = 256) => new()
    {
        ["taskType"] = "imageInference",
        ["taskUUID"] = NewUuid(),
        ["model"] = model,
        ["positivePrompt"] = "a red bicycle leaning on a wall",
        ["width"] = size,
        ["height"] = size,
        ["numberResults"] = 1,
        ["outputType"] = "URL",
        ["outputFormat"] = "PNG",
        ["includeCost"] = true,
    };

    public static JsonObject FillTask(string seedImage, string maskImage, int size = 256)
    {
        var task = Inference(Fill, size);
        task["seedImage"] = seedImage;
        task["maskImage"] = maskImage;
        return task;
    }

    public static JsonObject GuideTask(string model, string guide, int size = 256)
    {
        var task = Inference(model, size);
        task["seedImage"] = guide;
        return task;
    }

    public static JsonObject ReduxTask(string guide, int size = 256)
    {
        var task = Inference(Dev, size);
        task["positivePrompt"] = "__BLANK__";
        task["ipAdapters"] = new JsonArray(new JsonObject { ["guideImage"] = guide, ["model"] = Redux });
        return task;
    }

    public static JsonObject Preprocess(string input, string type) => new()
    {
        ["taskType"] = "controlNetPreprocess",
        ["taskUUID"] = NewUuid(),
        ["inputImage"] = input,
        ["preProcessorType"] = type,
        ["outputType"] = "URL",
        ["outputFormat"] = "PNG",
    };

    public static JsonObject GetResponse(string taskUuid) => new()
    {
        ["taskType"] = "getResponse",
        ["taskUUID"] = taskUuid,
    };

    public static JsonObject TaskDetails(string taskUuid) => new()
    {
        ["taskType"] = "getTaskDetails",
        ["taskUUID"] = taskUuid,
    };

    public static JsonObject Async(this JsonObject task)
    {
        task["deliveryMethod"] = "async";
        return task;
    }

    public static string Uuid(this JsonObject task) => (string)task["taskUUID"]!;
}
