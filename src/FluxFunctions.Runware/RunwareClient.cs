using System.Text.Json.Nodes;
using FluxFunctions.Requests.Tools;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Registry;
using Polly.Timeout;

namespace FluxFunctions.Runware;

/// <summary>
/// The Runware REST client (a typed <see cref="HttpClient"/>, registered with
/// <see cref="RunwareServiceCollectionExtensions.AddRunwareClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>).
/// Every call runs through the resilience pipelines of <see cref="RunwareResilience"/>; failures surface as
/// <see cref="RunwareRejectedException"/> (permanent) or <see cref="RunwareTransientException"/> (transient, already
/// retried). Submitting an inference is idempotent per taskUUID where Runware lets it be: the first attempt is sent as it
/// is; a submission that may already have reached Runware (a retried attempt, or a caller in doubt) first looks the task
/// up (<see cref="FindTaskAsync"/>); a refusal of the taskUUID as a duplicate, or any refusal naming it that the look-up
/// then confirms, means "already known".
/// </summary>
public sealed class RunwareClient : IRunwareClient
{
    private readonly RunwareTransport _transport;
    private readonly ResultDownloader _downloader;
    private readonly ResiliencePipeline _api;
    private readonly ResiliencePipeline _download;
    private readonly ILogger _logger;
    private readonly int _breakSeconds;

    public RunwareClient(HttpClient httpClient, ResiliencePipelineProvider<string> pipelines, IOptions<RunwareOptions> options, ILogger<RunwareClient> logger, TimeProvider timeProvider, RetryAfterGate? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(pipelines);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var settings = options.Value;
        var redactor = new SecretRedactor(settings.ApiKey);
        _transport = new RunwareTransport(httpClient, settings, redactor, timeProvider, logger, retryAfter ?? new RetryAfterGate(timeProvider));
        _downloader = new ResultDownloader(httpClient, redactor, timeProvider, logger);
        _api = pipelines.GetPipeline(RunwareResilience.ApiPipelineKey);
        _download = pipelines.GetPipeline(RunwareResilience.DownloadPipelineKey);
        _logger = logger;
        _breakSeconds = settings.BreakerBreakSeconds;
    }

    /// <inheritdoc />
    public async Task<string> UploadImageAsync(string image, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var state = new SyncTaskState(Guid.NewGuid().ToString("D"), uuid => RunwareTaskBuilder.BuildUpload(Guid.Parse(uuid), image));
        var entry = await RunAsync(_api, "imageUpload", state.FirstUuid, state, SyncAttemptAsync, cancellationToken).ConfigureAwait(false);
        return RunwareAnswerParser.String(entry, "imageUUID")!;
    }

    /// <inheritdoc />
    public async Task<SubmitOutcome> SubmitInferenceAsync(JsonObject task, bool inDoubt = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!string.Equals(RunwareAnswerParser.String(task, "deliveryMethod"), "async", StringComparison.Ordinal))
        {
            throw new ArgumentException("The inference task must carry \"deliveryMethod\": \"async\" (its result is fetched with getResponse).", nameof(task));
        }

        var taskUuid = RunwareAnswerParser.String(task, "taskUUID");
        if (!Guid.TryParse(taskUuid, out _))
        {
            throw new ArgumentException("The inference task must carry a UUID taskUUID, stable across retries.", nameof(task));
        }

        var state = new SubmitState((JsonObject)task.DeepClone(), taskUuid!, inDoubt);
        return await RunAsync(_api, "imageInference", taskUuid!, state, SubmitAttemptAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<InferencePoll> GetResponseAsync(string taskUuid, int expectedResults = 1, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskUuid);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedResults, 1);
        var state = (taskUuid, expectedResults);
        var poll = await RunAsync(_api, "getResponse", taskUuid, state, (ctx, s) => PollOnceAsync(s.taskUuid, s.expectedResults, ctx.CancellationToken), cancellationToken).ConfigureAwait(false);
        _logger.RunwarePolled(taskUuid, poll.Images.Count, expectedResults, poll.Status.ToString());
        if (poll.Error is { } error)
        {
            _logger.RunwareGenerationFailed(taskUuid, error.Code, error.Message);
        }

        return poll;
    }

    /// <inheritdoc />
    public async Task<TaskLookup> FindTaskAsync(string taskUuid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(taskUuid);
        return await RunAsync(_api, "getTaskDetails", taskUuid, taskUuid, (ctx, uuid) => LookUpOnceAsync(uuid, ctx.CancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PreprocessResult> PreprocessAsync(JsonObject task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var template = (JsonObject)task.DeepClone();
        var first = RunwareAnswerParser.String(template, "taskUUID") ?? Guid.NewGuid().ToString("D");
        template["taskType"] = "controlNetPreprocess";
        var state = new SyncTaskState(first, uuid =>
        {
            var copy = (JsonObject)template.DeepClone();
            copy["taskUUID"] = uuid;
            return copy;
        })
        {
            RequiredField = "guideImageUUID",
        };
        var entry = await RunAsync(_api, "controlNetPreprocess", first, state, SyncAttemptAsync, cancellationToken).ConfigureAwait(false);
        return new PreprocessResult(
            RunwareAnswerParser.String(entry, "guideImageUUID")!,
            RunwareAnswerParser.String(entry, "guideImageURL") ?? RunwareAnswerParser.String(entry, "guideImageDataURI"),
            RunwareAnswerParser.String(entry, "inputImageUUID"),
            RunwareAnswerParser.Double(entry, "cost"));
    }

    /// <inheritdoc />
    public async Task<byte[]> DownloadAsync(Uri url, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The download URL must be an absolute http(s) URL.", nameof(url));
        }

        var state = (url, maxBytes);
        return await RunAsync(_download, "download", url.Host + url.AbsolutePath, state, (ctx, s) => _downloader.DownloadOnceAsync(s.url, s.maxBytes, ctx.CancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<JsonObject> SyncAttemptAsync(ResilienceContext context, SyncTaskState state)
    {
        // Runware refuses a taskUUID it has seen, so a retry of a synchronous task (whose first answer may have been
        // lost after Runware processed it) goes out under a fresh taskUUID. Uploads and preprocessing are cheap to repeat.
        var taskType = context.Properties.GetValue(RunwareResilience.TaskTypeKey, "unknown");
        var uuid = state.Attempts++ == 0 ? state.FirstUuid : Guid.NewGuid().ToString("D");
        var answer = await _transport.SendAsync(state.Build(uuid), context.CancellationToken).ConfigureAwait(false);
        if (answer.Errors.Any(e => RunwareErrorCodes.IsDuplicate(e.Error)))
        {
            _logger.RunwareFreshTaskUuid(taskType, uuid);
            uuid = Guid.NewGuid().ToString("D");
            answer = await _transport.SendAsync(state.Build(uuid), context.CancellationToken).ConfigureAwait(false);
        }

        ThrowIfErrors(answer, taskType, uuid);
        var entry = answer.Data.FirstOrDefault(d => string.Equals(RunwareAnswerParser.String(d, "taskUUID"), uuid, StringComparison.OrdinalIgnoreCase))
            ?? answer.Data.FirstOrDefault();
        if (entry is null || RunwareAnswerParser.String(entry, state.RequiredField) is null)
        {
            throw new RunwareTransientException(
                $"Runware's answer to the {taskType} task has no {state.RequiredField}.",
                answer.StatusCode,
                RunwareErrorCodes.MalformedResponse);
        }

        return entry;
    }

    private async ValueTask<SubmitOutcome> SubmitAttemptAsync(ResilienceContext context, SubmitState state)
    {
        var cancellationToken = context.CancellationToken;
        if (state.Attempts++ > 0 || state.InDoubt)
        {
            // An earlier attempt may have reached Runware even though its answer never reached us.
            _logger.RunwareSubmitCheck(state.TaskUuid);
            var lookup = await LookUpOnceAsync(state.TaskUuid, cancellationToken).ConfigureAwait(false);
            if (lookup.Found)
            {
                _logger.RunwareSubmitAlreadyKnown(state.TaskUuid, lookup.Evidence);
                return SubmitOutcome.AlreadyKnown;
            }

            _logger.RunwareSubmitResubmitting(state.TaskUuid, lookup.Evidence);
        }

        var answer = await _transport.SendAsync(state.Task, cancellationToken).ConfigureAwait(false);
        if (answer.Errors.Any(e => RunwareErrorCodes.IsDuplicate(e.Error)))
        {
            _logger.RunwareSubmitAlreadyKnown(state.TaskUuid, $"refused as a duplicate: {answer.Errors[0].Error.Code}");
            return SubmitOutcome.AlreadyKnown;
        }

        // Runware does not document how it refuses a taskUUID it already has: any refusal naming the taskUUID is checked.
        if (answer.Errors.Any(e => RunwareErrorCodes.NamesTaskUuid(e.Error) && !RunwareErrorCodes.IsTransient(e.Error.Code) && !RunwareErrorCodes.IsAccount(e.Error, answer.StatusCode)))
        {
            var lookup = await LookUpOnceAsync(state.TaskUuid, cancellationToken).ConfigureAwait(false);
            if (lookup.Found)
            {
                _logger.RunwareSubmitAlreadyKnown(state.TaskUuid, $"refused ({answer.Errors[0].Error.Code}) and {lookup.Evidence}");
                return SubmitOutcome.AlreadyKnown;
            }
        }

        ThrowIfErrors(answer, "imageInference", state.TaskUuid);
        _logger.RunwareSubmitAccepted(state.TaskUuid);
        return SubmitOutcome.Accepted;
    }

    /// <summary>
    /// Whether Runware shows the task: an entry from <c>getResponse</c> (documented for tasks that exist), else the
    /// original request from <c>getTaskDetails</c> (documented for tasks Runware ran). Nothing else counts as a sign.
    /// </summary>
    private async ValueTask<TaskLookup> LookUpOnceAsync(string taskUuid, CancellationToken cancellationToken)
    {
        var poll = await PollOnceAsync(taskUuid, 1, cancellationToken).ConfigureAwait(false);
        if (poll.Status != PollStatus.Silent)
        {
            return new TaskLookup(true, $"getResponse shows it {poll.Status.ToString().ToLowerInvariant()}");
        }

        var details = await _transport.SendAsync(RunwareTaskBuilder.BuildGetTaskDetails(taskUuid), cancellationToken).ConfigureAwait(false);
        var lookup = TaskDetailsReader.Read(details, taskUuid);
        return lookup.Found ? lookup : lookup with { Evidence = $"{poll.Evidence}; {lookup.Evidence}" };
    }

    private async ValueTask<InferencePoll> PollOnceAsync(string taskUuid, int expectedResults, CancellationToken cancellationToken)
    {
        var answer = await _transport.SendAsync(RunwareTaskBuilder.BuildGetResponse(taskUuid), cancellationToken).ConfigureAwait(false);
        return InferencePollReader.Read(answer, taskUuid, expectedResults);
    }

    private void ThrowIfErrors(RunwareAnswer answer, string taskType, string taskUuid)
    {
        if (!answer.HasErrors)
        {
            return;
        }

        var errors = answer.Errors.Select(e => e.Error).ToList();
        if (errors.All(e => RunwareErrorCodes.IsTransient(e.Code)))
        {
            throw new RunwareTransientException(
                $"Runware could not run the {taskType} task now (HTTP {answer.StatusCode}): {errors[0].Code}: {errors[0].Message}",
                answer.StatusCode,
                errors[0].Code);
        }

        foreach (var error in errors)
        {
            _logger.RunwareRejected(taskType, taskUuid, answer.StatusCode, error.Code, error.Parameter, error.Message);
        }

        throw new RunwareRejectedException(errors, answer.StatusCode, taskType, taskUuid);
    }

    private async Task<TResult> RunAsync<TResult, TState>(ResiliencePipeline pipeline, string taskType, string taskUuid, TState state, Func<ResilienceContext, TState, ValueTask<TResult>> attempt, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(taskType, cancellationToken);
        context.Properties.Set(RunwareResilience.TaskTypeKey, taskType);
        context.Properties.Set(RunwareResilience.TaskUuidKey, taskUuid);
        try
        {
            return await pipeline.ExecuteAsync(attempt, context, state).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            _logger.RunwareCircuitRejected(taskType, taskUuid);
            throw new RunwareTransientException(
                $"Runware is unavailable: after repeated failures calls are paused for up to {_breakSeconds} s (circuit breaker open); the {taskType} task was not sent.",
                null,
                RunwareErrorCodes.Unavailable,
                ex)
            {
                RetryAfter = ex.RetryAfter,
            };
        }
        catch (TimeoutRejectedException ex)
        {
            _logger.RunwareTransientFailure(taskType, taskUuid, null, RunwareErrorCodes.Timeout);
            throw new RunwareTransientException(
                $"Runware did not answer the {taskType} task in time (timeout {ex.Timeout.TotalSeconds:0.###} s).",
                null,
                RunwareErrorCodes.Timeout,
                ex);
        }
        catch (RateLimiterRejectedException ex)
        {
            _logger.RunwareTransientFailure(taskType, taskUuid, null, RunwareErrorCodes.TooManyQueued);
            throw new RunwareTransientException(
                $"Too many Runware calls are waiting for a free slot (Runware:MaxConcurrentRequests, Runware:MaxQueuedRequests); the {taskType} task was not sent.",
                null,
                RunwareErrorCodes.TooManyQueued,
                ex)
            {
                RetryAfter = ex.RetryAfter,
            };
        }
        catch (RunwareTransientException ex)
        {
            _logger.RunwareTransientFailure(taskType, taskUuid, ex.StatusCode, ex.Code);
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private sealed class SyncTaskState(string firstUuid, Func<string, JsonObject> build)
    {
        public string FirstUuid { get; } = firstUuid;

        public string RequiredField { get; init; } = "imageUUID";

        public int Attempts { get; set; }

        public JsonObject Build(string uuid) => build(uuid);
    }

    private sealed class SubmitState(JsonObject task, string taskUuid, bool inDoubt)
    {
        public JsonObject Task { get; } = task;

        public string TaskUuid { get; } = taskUuid;

        /// <summary>The caller knows an earlier submission of this task may have reached Runware.</summary>
        public bool InDoubt { get; } = inDoubt;

        public int Attempts { get; set; }
    }
}
