using System.Text;
using FluxFunctions.Core.Storage;

namespace FluxFunctions.Core.Pipeline;

/// <summary>Who ends a job: the activity that saw its results (storing them), or a cancel request.</summary>
public enum JobEnd
{
    /// <summary>The results are being stored and the manifest written: the job completes.</summary>
    Finish,

    /// <summary>The job was canceled: nothing is written.</summary>
    Cancel,
}

/// <summary>
/// Settles a race the orchestration cannot see: <see cref="Activities.PrepareInputs"/> stores a job's results itself when
/// it saw them all, while a cancel request may be arriving. Whichever side first creates <c>jobs/{jobId}/end</c> in the
/// work container (If-None-Match: *, one winner) decides; the other side asks and learns it lost. Asking again for the
/// side that won answers yes, so a retried activity goes on finishing and a replayed cancel stays canceled.
/// </summary>
public sealed class JobEndClaim(FluxStorage storage)
{
    private const long MaxBytes = 64;

    /// <summary>True when <paramref name="end"/> is how the job ends (claimed now or before); false when the other side has it.</summary>
    public async Task<bool> TryClaimAsync(string jobId, JobEnd end, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var blob = new BlobRef(storage.Options.WorkContainer, OutputLayout.Work(jobId, "end"));
        var name = end.ToString();
        if (await storage.WriteOnceAsync(blob, Encoding.UTF8.GetBytes(name), "text/plain", cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        var claimed = await storage.ReadAsync(blob, MaxBytes, cancellationToken).ConfigureAwait(false);
        return string.Equals(Encoding.UTF8.GetString(claimed.Data.Span), name, StringComparison.Ordinal);
    }
}
