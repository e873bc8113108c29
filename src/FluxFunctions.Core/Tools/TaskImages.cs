using System.Text.Json.Nodes;

namespace FluxFunctions.Core.Tools;

/// <summary>Where a tool's images go in its <c>imageInference</c> task: the one part of the task shape that is code.</summary>
public abstract record TaskImages
{
    /// <summary>Puts <paramref name="images"/> into <paramref name="task"/>.</summary>
    /// <exception cref="ArgumentException">The tool needs a mask and <paramref name="images"/> has none.</exception>
    public abstract void Place(JsonObject task, InferenceImages images, ToolDescription tool);

    /// <summary>The mask, or an error naming the tool.</summary>
    protected static string RequireMask(InferenceImages images, ToolDescription tool) =>
        images.Mask ?? throw new ArgumentException($"{tool.Title} needs a mask image.", nameof(images));
}

/// <summary><c>seedImage</c> (and <c>maskImage</c> when the tool takes a mask) at the root of the task (FLUX.1 Fill, Canny, Depth).</summary>
public sealed record RootSeedImages : TaskImages
{
    public override void Place(JsonObject task, InferenceImages images, ToolDescription tool)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(tool);
        task["seedImage"] = images.Seed;
        if (tool.TakesMask)
        {
            task["maskImage"] = RequireMask(images, tool);
        }
    }
}

/// <summary>
/// <c>inputs: {seedImage, maskImage}</c>, the shape of Runware's current model pages (FLUX Erase). The schema of
/// bfl:flux@erase names only <c>inputs</c>; the keys inside it are <i>assumed</i> to be Fill's (README, Tools).
/// </summary>
public sealed record InputsImages : TaskImages
{
    public override void Place(JsonObject task, InferenceImages images, ToolDescription tool)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(tool);
        var inputs = new JsonObject { ["seedImage"] = images.Seed };
        if (tool.TakesMask)
        {
            inputs["maskImage"] = RequireMask(images, tool);
        }

        task["inputs"] = inputs;
    }
}

/// <summary>
/// <c>inputs: {referenceImages: [image]}</c>: the image to edit as a reference image (FLUX.1 Kontext; the placement follows
/// the current model pages and is <i>assumed</i>, README, Tools).
/// </summary>
public sealed record ReferenceInputs : TaskImages
{
    public override void Place(JsonObject task, InferenceImages images, ToolDescription tool)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(images);
        task["inputs"] = new JsonObject { ["referenceImages"] = new JsonArray(images.Seed) };
    }
}

/// <summary>The image as the guide of one IP-Adapter on a base model (FLUX.1 Redux: <c>ipAdapters[{guideImage, model}]</c>).</summary>
/// <param name="AdapterModel">The adapter's model id.</param>
public sealed record AdapterImages(string AdapterModel) : TaskImages
{
    public override void Place(JsonObject task, InferenceImages images, ToolDescription tool)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(images);
        task["ipAdapters"] = new JsonArray(new JsonObject
        {
            ["guideImage"] = images.Seed,
            ["model"] = AdapterModel,
        });
    }
}
