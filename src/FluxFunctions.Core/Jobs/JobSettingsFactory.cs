using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Runware;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Jobs;

/// <summary>Captures the settings a job runs with when it starts (they travel in the orchestration input).</summary>
public sealed class JobSettingsFactory(IOptions<FluxOptions> flux, IOptions<RunwareOptions> runware)
{
    public JobSettings Create()
    {
        var f = flux.Value;
        var r = runware.Value;
        return new JobSettings(
            f.OutputContainer,
            f.FailedContainer,
            f.CompanionWaitSeconds,
            f.OptionalCompanionWaitSeconds,
            f.InferenceTimeoutSeconds,
            f.PollInitialDelayMs,
            f.PollMaxDelayMs,
            f.ActivityMaxAttempts,
            r.ImageTransfer,
            r.WebhookBaseUrl?.ToString(),
            r.WebhookFallbackSeconds,
            f.CallbackMaxAttempts,
            f.CallbackRetryDelayMs,
            f.TaskSilenceSeconds,
            f.InferenceWatchSeconds,
            f.PollWatchSeconds);
    }
}
