using System.Text.Json.Nodes;

namespace FluxFunctions.Requests.Tools;

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
/// FLUX.1 Fill: <see cref="RootSeedImages"/>; with a reference image, ACE++ as the old API reference's editing example
/// sends it: the reference in root <c>referenceImages</c> (exactly 1) and <c>acePlusPlus: {type: "local_editing",
/// inputImages: [image], inputMasks: [mask], repaintingScale: 0.7}</c>, without seedImage and maskImage (the image and mask
/// are given once, inside acePlusPlus; <i>assumed</i>, README, Tools).
/// </summary>
public sealed record RootSeedOrAcePlusPlus : TaskImages
{
    /// <summary>The ACE++ task type: edit a region (old-docs api-reference).</summary>
    public const string AceType = "local_editing";

    /// <summary>0 favours the reference, 1 the prompt; the old API reference's editing example uses 0.7.</summary>
    public const double RepaintingScale = 0.7;

    public override void Place(JsonObject task, InferenceImages images, ToolDescription tool)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(tool);
        if (images.References.Count == 0)
        {
            new RootSeedImages().Place(task, images, tool);
            return;
        }

        if (images.References.Count > 1)
        {
            throw new ArgumentException($"{tool.Title} takes one reference image, got {images.References.Count}.", nameof(images));
        }

        task["referenceImages"] = new JsonArray(images.References[0]);
        task["acePlusPlus"] = new JsonObject
        {
            ["type"] = AceType,
            ["inputImages"] = new JsonArray(images.Seed),
            ["inputMasks"] = new JsonArray(RequireMask(images, tool)),
            ["repaintingScale"] = RepaintingScale,
        };
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
/// <c>inputs: {referenceImages: [image, …extra]}</c>: the image to edit as the first reference image, the request's extra
/// references after it (FLUX.1 Kontext; the placement follows the current model pages and is <i>assumed</i>, README, Tools).
/// </summary>
public sealed record ReferenceInputs : TaskImages
{
    public override void Place(JsonObject task, InferenceImages images, ToolDescription tool)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(images);
        var references = new JsonArray(images.Seed);
        foreach (var extra in images.References)
        {
            references.Add(extra);
        }

        task["inputs"] = new JsonObject { ["referenceImages"] = references };
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
