using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Imaging;
using FluxFunctions.Requests;
using FluxFunctions.Requests.Tools;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The Fill parts of a job's manifest, enough to reproduce a result: <c>context</c> (what crop-to-context decided and
/// every crop: box, masked area, margin, sent size, scale, taskUUID, cost, seeds, and with per-region prompts its region
/// and prompt), <c>regions</c> (each region's colour and the prompt its task was sent) and <c>colorMatch</c> (whether it
/// ran, and its gains and offsets per result and crop).
/// </summary>
internal static class FillRecord
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Adds <c>context</c> and <c>colorMatch</c> to a completed Fill job's manifest; does nothing for other tools.</summary>
    public static void AddTo(JsonObject manifest, EditSpec spec, PreparedInputs prepared, IReadOnlyList<InferenceOutcome> outcomes, StoredResults stored)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(stored);
        if (!spec.Tool.Describe().CropToContext || prepared.Crops is not { Count: > 0 } crops)
        {
            return;
        }

        var list = new JsonArray();
        foreach (var crop in crops)
        {
            var placement = crop.Placement;
            var outcome = outcomes.FirstOrDefault(o => o.Crop == crop.Index);
            list.Add(new JsonObject
            {
                ["index"] = crop.Index,
                ["box"] = Rect(placement.Region),
                ["maskBox"] = placement.Owned is { } owned ? Rect(owned) : null,
                ["margin"] = crop.Margin,
                ["sent"] = new JsonObject { ["width"] = placement.SentWidth, ["height"] = placement.SentHeight },
                ["scale"] = new JsonObject { ["x"] = Math.Round(placement.ScaleX, 4), ["y"] = Math.Round(placement.ScaleY, 4) },
                ["taskUUID"] = outcome?.TaskUuid,
                ["cost"] = outcome?.Cost,
                ["seeds"] = outcome is null ? null : new JsonArray(outcome.Result.Images.Select(i => (JsonNode?)i.Seed).ToArray()),
            });
            if (placement.RegionIndex is { } r && r < spec.Regions.Count)
            {
                list[^1]!["region"] = Region(spec, r);
            }
        }

        manifest["context"] = new JsonObject
        {
            ["mode"] = spec.Context.Mode.ToString().ToLowerInvariant(),
            ["margin"] = spec.Context.Margin,
            ["cropped"] = prepared.Context?.Cropped ?? false,
            ["reason"] = prepared.Context?.Reason,
            ["crops"] = list,
        };
        if (spec.Regions.Count > 0)
        {
            manifest["regions"] = new JsonArray(spec.Regions.Select((_, r) => (JsonNode?)Region(spec, r)).ToArray());
        }

        var results = new JsonArray();
        var ran = false;
        var matches = stored.ColorMatch ?? [];
        for (var i = 0; i < matches.Count; i++)
        {
            ran |= matches[i].Any(m => m.Ran);
            results.Add(new JsonObject
            {
                ["index"] = i,
                ["crops"] = JsonSerializer.SerializeToNode(matches[i], Web),
            });
        }

        manifest["colorMatch"] = new JsonObject
        {
            ["enabled"] = spec.ColorMatch,
            ["ran"] = ran,
            ["space"] = ColorMatcher.Space,
            ["ringWidth"] = ColorMatcher.RingWidth,
            ["gainRange"] = new JsonArray(Math.Round(ColorMatcher.MinGain, 4), ColorMatcher.MaxGain),
            ["results"] = results,
        };
    }

    /// <summary>A region as the manifest records it: its colour, the prompt its task was sent and where that prompt came from.</summary>
    private static JsonObject Region(EditSpec spec, int index) => new()
    {
        ["index"] = index,
        ["color"] = spec.Regions[index].Color,
        ["prompt"] = spec.PromptFor(index),
        ["promptFrom"] = spec.Regions[index].Prompt is null ? "job" : "region",
    };

    private static JsonObject Rect(PixelRect r) => new() { ["x"] = r.X, ["y"] = r.Y, ["width"] = r.Width, ["height"] = r.Height };
}
