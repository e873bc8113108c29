using FluxFunctions.Emulator.Protocol;
using FluxFunctions.Emulator.Validation;

namespace FluxFunctions.Emulator.Tasks;

/// <summary>One generated image of an inference.</summary>
/// <param name="ImageId">The stored image.</param>
/// <param name="Seed">The seed it was made with.</param>
/// <param name="Cost">Its cost in USD.</param>
/// <param name="Flagged">The content check flagged it (<c>NSFWContent: true</c>; only for tasks that ask for a check).</param>
internal sealed record GeneratedImage(Guid ImageId, long Seed, double Cost, bool Flagged = false);

/// <summary>The end of an inference: its images, or the error it failed with.</summary>
internal sealed record JobResult(IReadOnlyList<GeneratedImage> Images, RunwareError? Error)
{
    /// <summary>True when the inference failed.</summary>
    public bool Failed => Error is not null;
}

/// <summary>
/// An accepted inference (sync or async), from acceptance to its result. Thread-safe: the result is published once,
/// atomically; readers see either "processing" or the complete result.
/// </summary>
internal sealed class InferenceJob
{
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private InferenceRequest request;
    private JobResult? result;
    private long completedAtMs;
    private int pickedUp;
    private int polls;

    public InferenceJob(InferenceRequest request, string publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        this.request = request;
        PublicBaseUrl = publicBaseUrl;
    }

    /// <summary>The validated request; its input images are dropped once rendered.</summary>
    public InferenceRequest Request => Volatile.Read(ref request);

    /// <summary>The task UUID as the client wrote it.</summary>
    public string TaskUuid => Request.TaskUuid;

    /// <summary>Scheme, host and path base of the submitting request (for image URLs in webhooks).</summary>
    public string PublicBaseUrl { get; }

    /// <summary>The result, or null while processing.</summary>
    public JobResult? Result => Volatile.Read(ref result);

    /// <summary>Completes when the result is published.</summary>
    public Task Completion => completion.Task;

    /// <summary>Drops the input images (after rendering) so finished jobs hold little memory.</summary>
    public void ReleaseInputs() => Volatile.Write(ref request, Request.WithoutInputs());

    /// <summary>Publishes the result once; later calls are ignored.</summary>
    public void Complete(JobResult outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Interlocked.CompareExchange(ref completedAtMs, Environment.TickCount64, 0);
        if (Interlocked.CompareExchange(ref result, outcome, null) is null)
        {
            ReleaseInputs();
            completion.TrySetResult();
        }
    }

    /// <summary>Counts a getResponse poll of this inference; true for its first.</summary>
    public bool Polled() => Interlocked.Increment(ref polls) == 1;

    /// <summary>
    /// The first time a finished result is fetched: how long after it was published, in milliseconds; null when still
    /// processing or fetched before.
    /// </summary>
    public long? FirstFetchDelayMs()
    {
        if (Result is null || Interlocked.Exchange(ref pickedUp, 1) != 0)
        {
            return null;
        }

        return Math.Max(0, Environment.TickCount64 - Volatile.Read(ref completedAtMs));
    }
}
