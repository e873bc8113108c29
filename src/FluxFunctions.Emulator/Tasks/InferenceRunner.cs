using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Images;
using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Protocol;
using FluxFunctions.Emulator.Webhooks;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Tasks;

/// <summary>
/// Runs accepted inferences in the background, sync and async alike: waits the latency (or the
/// <c>emulator:slow</c> time), renders the results (at most one render per core at a time), stores them, publishes the
/// result (expiring after its ttl), then posts webhooks. A client that stops waiting does not stop an accepted inference.
/// </summary>
internal sealed class InferenceRunner(
    ImageStore store,
    InferenceRenderer renderer,
    EncodedImageCache encoded,
    EmulatorStats stats,
    WebhookPublisher webhooks,
    ResultEntries entries,
    ResultLifetime resultLifetime,
    SafetySwitch safety,
    IOptions<EmulatorOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<InferenceRunner> logger)
{
    private readonly SemaphoreSlim renderGate = new(Math.Max(1, Environment.ProcessorCount));
    private readonly int latencyMs = options.Value.LatencyMs;

    /// <summary>Starts an accepted inference; returns at once.</summary>
    public void Start(InferenceJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        stats.InferenceStarted();
        var request = job.Request;
        Log.InferenceAccepted(logger, job.TaskUuid, request.Model, request.Width, request.Height, request.NumberResults, request.Async ? "async" : "sync");
        _ = Task.Run(() => RunAsync(job));
    }

    private async Task RunAsync(InferenceJob job)
    {
        var stopping = lifetime.ApplicationStopping;
        JobResult result;
        try
        {
            var request = job.Request;
            var delay = request.SlowMs ?? latencyMs;

            // The latency is the whole inference, as Runware's is: the render runs during it, not after it.
            var render = request.Fail ? null : RenderGatedAsync(request, stopping);
            if (delay > 0)
            {
                await Task.Delay(delay, stopping);
            }

            result = render is null
                ? Failure(job, $"The inference failed (test trigger '{Validation.PromptTriggers.Fail}').")
                : new JobResult(await render, null);
            if (result.Images.Any(i => i.Flagged) && safety.Answer == Dialects.FlaggedAnswer.Error)
            {
                result = new JobResult([], new RunwareError(ErrorCodes.NsfwContentDetected, "The content check flagged a result as potentially sensitive content; it is not returned.", "safety", Validation.TaskTypes.ImageInference, job.TaskUuid, "error"));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            result = Failure(job, "The emulator stopped before the inference finished.");
        }
#pragma warning disable CA1031 // A crash of one render must end that inference with an error, never the emulator.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.InferenceCrashed(logger, ex, job.TaskUuid);
            result = Failure(job, "The emulator could not render the inference (see its log).");
        }

        // Counted before the result becomes visible, so a client that sees it finished also sees it out of flight.
        stats.InferenceEnded(!result.Failed);
        job.Complete(result);
        Log.InferenceFinished(logger, job.TaskUuid, result.Failed ? "failed" : $"{result.Images.Count} images");
        SendWebhooks(job);
    }

    private async Task<List<GeneratedImage>> RenderGatedAsync(Validation.InferenceRequest request, CancellationToken stopping)
    {
        await Task.Yield();
        await renderGate.WaitAsync(stopping);
        try
        {
            return Render(request);
        }
        finally
        {
            renderGate.Release();
        }
    }

    private List<GeneratedImage> Render(Validation.InferenceRequest request)
    {
        var images = new List<GeneratedImage>(request.NumberResults);
        using var inputs = RenderInputs.Decode(request);
        for (var i = 0; i < request.NumberResults; i++)
        {
            var seed = Validation.SeedMath.ForResult(request.Seed, i);
            using var bitmap = renderer.Render(request, inputs, seed);
            var bytes = encoded.Encode(bitmap, request.OutputFormat, request.OutputQuality);
            var stored = store.Add(bytes, request.OutputFormat, bitmap.Width, bitmap.Height, resultLifetime.ExpiresAt(request));
            images.Add(new GeneratedImage(stored.Id, seed, Pricing.Image(request.Width, request.Height, request.Steps), request.SafetyChecked && safety.Flags(seed)));
        }

        return images;
    }

    private static JobResult Failure(InferenceJob job, string message) =>
        new([], new RunwareError(ErrorCodes.InferenceFailed, message, null, Validation.TaskTypes.ImageInference, job.TaskUuid, "error"));

    private void SendWebhooks(InferenceJob job)
    {
        if (job.Request.WebhookUrl is { } url)
        {
            webhooks.Publish(url, job.TaskUuid, entries.ForJob(job, job.PublicBaseUrl, withStatus: job.Request.Async));
        }
    }
}
