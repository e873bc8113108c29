using System.Text.Json.Nodes;
using FluxFunctions.Cli.Api;

namespace FluxFunctions.Cli.Batch;

/// <summary>
/// The <c>--json</c> document of a batch: counts, and per job its file, id, status, stage, outputs (with the downloaded
/// <c>file</c>) and error.
/// </summary>
internal static class BatchJson
{
    public static JsonObject Summary(IReadOnlyList<BatchRow> rows, BatchRunner.Settings settings, FluxApiException? fatal, bool interrupted, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(settings);
        var jobs = new JsonArray();
        foreach (var row in rows)
        {
            var job = new JsonObject
            {
                ["file"] = row.Item.ImagePath,
                ["id"] = row.JobId,
                ["status"] = Status(row.Phase),
                ["stage"] = row.Stage,
            };
            if (row.Phase == BatchPhase.Completed && row.Json?["outputs"] is JsonArray outputs)
            {
                job["outputs"] = outputs.DeepClone();
            }

            if (row.Phase == BatchPhase.Rejected)
            {
                job["error"] = row.Json?.DeepClone();
            }
            else if (row.Phase is BatchPhase.Failed or BatchPhase.Canceled)
            {
                job["error"] = row.Json?["error"]?.DeepClone() ?? new JsonObject { ["message"] = row.Error };
            }

            jobs.Add(job);
        }

        var summary = new JsonObject
        {
            ["tool"] = settings.Tool,
            ["total"] = rows.Count,
            ["completed"] = rows.Count(r => r.Phase == BatchPhase.Completed),
            ["failed"] = rows.Count(r => r.Phase == BatchPhase.Failed),
            ["canceled"] = rows.Count(r => r.Phase == BatchPhase.Canceled),
            ["rejected"] = rows.Count(r => r.Phase == BatchPhase.Rejected),
            ["unfinished"] = rows.Count(r => !r.IsFinal),
            ["elapsedSeconds"] = Math.Round(elapsed.TotalSeconds, 1),
            ["outputFolder"] = Path.GetFullPath(settings.OutputFolder),
            ["jobs"] = jobs,
        };
        if (fatal is not null)
        {
            summary["error"] = new JsonObject { ["kind"] = fatal.Kind, ["status"] = fatal.Status, ["message"] = fatal.Message };
        }
        else if (interrupted)
        {
            summary["error"] = new JsonObject { ["kind"] = "interrupted" };
        }

        return summary;
    }

    private static string Status(BatchPhase phase) => phase switch
    {
        BatchPhase.Waiting => "queued",
        BatchPhase.Submitting => "submitting",
        BatchPhase.Pending => JobStates.Pending,
        BatchPhase.Running => JobStates.Running,
        BatchPhase.Downloading => "downloading",
        BatchPhase.Completed => JobStates.Completed,
        BatchPhase.Failed => JobStates.Failed,
        BatchPhase.Canceled => JobStates.Canceled,
        _ => "rejected",
    };
}
