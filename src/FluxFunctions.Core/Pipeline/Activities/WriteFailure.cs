using System.Text;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Core.Pipeline.Activities;

/// <summary>
/// Writes a failed job's record, once (If-None-Match), and gives back the inference slots it still held. Returns the
/// record's blob name.
/// </summary>
public sealed class WriteFailure(FluxStorage storage, InferenceSlots slots, TimeProvider time) : FluxActivity<WriteFailureInput, string>
{
    public override async Task<string> ExecuteAsync(WriteFailureInput input, CancellationToken cancellationToken)
    {
        var facts = input.Facts;
        foreach (var task in facts.InFlight ?? [])
        {
            await slots.ReleaseAsync(task, cancellationToken).ConfigureAwait(false);
        }

        var blob = OutputLayout.FailureRecord(facts.Job.BaseName, facts.Job.JobId);
        var record = JobRecords.Failure(facts, input.Error, input.Stage, time.GetUtcNow());
        await storage.WriteOnceAsync(new BlobRef(facts.Job.Settings.FailedContainer, blob), Encoding.UTF8.GetBytes(record.ToJsonString(JobRecords.JsonOptions)), "application/json", JobRecords.FailureMetadata(input.Error, input.Stage), cancellationToken).ConfigureAwait(false);
        return blob;
    }
}
