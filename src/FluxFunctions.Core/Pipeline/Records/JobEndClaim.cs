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
        var blob = Blob(jobId);
        var name = end.ToString();
        if (await storage.WriteOnceAsync(blob, Encoding.UTF8.GetBytes(name), "text/plain", cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        return await ReadAsync(blob, cancellationToken).ConfigureAwait(false) == name;
    }

    /// <summary>
    /// True when a cancel request has claimed the job (read only: nothing is written). Asked before anything is paid
    /// for at Runware, so a job canceled while it waited for or ran its preparing activity costs nothing there.
    /// </summary>
    public async Task<bool> IsCanceledAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var blob = Blob(jobId);
        return await storage.GetETagAsync(blob, cancellationToken).ConfigureAwait(false) is not null
            && await ReadAsync(blob, cancellationToken).ConfigureAwait(false) == nameof(JobEnd.Cancel);
    }

    private BlobRef Blob(string jobId) => new(storage.Options.WorkContainer, OutputLayout.Work(jobId, "end"));

    private async Task<string> ReadAsync(BlobRef blob, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString((await storage.ReadAsync(blob, MaxBytes, cancellationToken).ConfigureAwait(false)).Data.Span);
}
