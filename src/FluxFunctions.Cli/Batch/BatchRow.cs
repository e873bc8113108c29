using System.Diagnostics;
using System.Text.Json.Nodes;
using FluxFunctions.Cli.Api;

namespace FluxFunctions.Cli.Batch;

/// <summary>Where one job of a batch is, from this command's point of view.</summary>
internal enum BatchPhase
{
    Waiting,
    Submitting,
    Pending,
    Running,
    Downloading,
    Completed,
    Failed,
    Canceled,
    Rejected,
}

/// <summary>
/// The live state of one job of a batch, written by its worker and read by the display (every field is replaced whole,
/// so a reader sees a consistent value of each).
/// </summary>
internal sealed class BatchRow(BatchItem item)
{
    private long started;
    private long ended;

    public BatchItem Item { get; } = item;

    public BatchPhase Phase { get; private set; } = BatchPhase.Waiting;

    public string? JobId { get; private set; }

    public string? Stage { get; private set; }

    /// <summary>Why the job did not complete (human text).</summary>
    public string? Error { get; private set; }

    /// <summary>The job's last status JSON (with <c>outputs[i].file</c> once downloaded), or the rejection.</summary>
    public JsonObject? Json { get; private set; }

    public IReadOnlyList<string> Files { get; private set; } = [];

    public bool IsFinal => Phase is BatchPhase.Completed or BatchPhase.Failed or BatchPhase.Canceled or BatchPhase.Rejected;

    /// <summary>Time since submission (to the end, once finished).</summary>
    public TimeSpan Elapsed => started == 0 ? TimeSpan.Zero : ended == 0 ? Stopwatch.GetElapsedTime(started) : Stopwatch.GetElapsedTime(started, ended);

    public void Submitting()
    {
        started = Stopwatch.GetTimestamp();
        Phase = BatchPhase.Submitting;
    }

    public void Accepted(string id)
    {
        JobId = id;
        Phase = BatchPhase.Pending;
        Stage = "queued";
    }

    public void Update(JobSnapshot snapshot)
    {
        Json = snapshot.Raw;
        Stage = snapshot.Status.Stage;
        Phase = snapshot.Status.Status switch
        {
            JobStates.Pending => BatchPhase.Pending,
            JobStates.Running => BatchPhase.Running,
            JobStates.Completed => BatchPhase.Downloading,
            _ => Phase,
        };
    }

    public void Completed(IReadOnlyList<string> files)
    {
        Files = files;
        End(BatchPhase.Completed);
    }

    public void Ended(JobStatus status)
    {
        var parameter = string.IsNullOrEmpty(status.Error?.Parameter) ? "" : $" ({status.Error.Parameter})";
        Error = $"{status.Error?.Message ?? "no reason given"}{parameter}";
        End(status.Status == JobStates.Canceled ? BatchPhase.Canceled : BatchPhase.Failed);
    }

    public void Rejected(FluxApiException failure)
    {
        var problems = failure.Problem?.Errors ?? [];
        Error = problems.Count > 0
            ? string.Join(" ", problems.Select(p => string.IsNullOrEmpty(p.Parameter) ? p.Message : $"{p.Parameter}: {p.Message}"))
            : failure.Message;
        Json = new JsonObject
        {
            ["status"] = failure.Status,
            ["title"] = failure.Problem?.Title,
            ["detail"] = failure.Problem?.Detail,
            ["errors"] = new JsonArray(problems.Select(p => (JsonNode?)new JsonObject { ["code"] = p.Code, ["message"] = p.Message, ["parameter"] = p.Parameter }).ToArray()),
        };
        End(BatchPhase.Rejected);
    }

    /// <summary>The job could not be followed to its end (it vanished); reported as failed.</summary>
    public void Lost(string reason)
    {
        Error = reason;
        End(BatchPhase.Failed);
    }

    private void End(BatchPhase phase)
    {
        ended = Stopwatch.GetTimestamp();
        Phase = phase;
    }
}
