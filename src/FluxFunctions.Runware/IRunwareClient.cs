using System.Text.Json.Nodes;

namespace FluxFunctions.Runware;

/// <summary>
/// Runware's REST API as the pipeline uses it. Implementations send JSON arrays of tasks with Bearer auth, retry
/// transient faults (429, 5xx, timeouts, malformed answers) with jitter and Retry-After, break the circuit when
/// Runware is down, and never retry a validation error. The API key never appears in an exception or log.
/// </summary>
public interface IRunwareClient
{
    /// <summary><c>imageUpload</c>: stores an image on Runware once; the returned <c>imageUUID</c> is reused by every later task.</summary>
    /// <param name="image">A data URI, raw base64 or a URL.</param>
    Task<string> UploadImageAsync(string image, CancellationToken cancellationToken = default);

    /// <summary>
    /// Submits an <c>imageInference</c> task with <c>deliveryMethod: "async"</c>. The first attempt goes out at once; a
    /// retried attempt, or any attempt when <paramref name="inDoubt"/> (an earlier submission of the same taskUUID may have
    /// reached Runware), first looks the task up (<see cref="FindTaskAsync"/>) and does not submit, and pay for, it again
    /// when Runware shows it. A refusal as a duplicate is <see cref="SubmitOutcome.AlreadyKnown"/> too. Where Runware
    /// accepts a repeated taskUUID without showing the first one, it is paid twice: the docs leave that open.
    /// </summary>
    /// <param name="task">The task, with a UUID <c>taskUUID</c> that stays the same across retries.</param>
    /// <param name="inDoubt">An earlier submission of this taskUUID may have reached Runware.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<SubmitOutcome> SubmitInferenceAsync(JsonObject task, bool inDoubt = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether Runware shows the task: an entry from <c>getResponse</c>, or its request from <c>getTaskDetails</c>.
    /// No other answer counts as a sign of it (Runware does not document its answer for an unknown taskUUID).
    /// </summary>
    Task<TaskLookup> FindTaskAsync(string taskUuid, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>getResponse</c>: the status of every generation of an async task. <see cref="PollStatus.Success"/> only when
    /// <paramref name="expectedResults"/> generations succeeded, <see cref="PollStatus.Error"/> when one failed,
    /// <see cref="PollStatus.Processing"/> while an entry shows it running, <see cref="PollStatus.Silent"/> when the answer
    /// shows no entry for it (whatever its shape).
    /// </summary>
    /// <param name="taskUuid">The taskUUID of the submitted inference.</param>
    /// <param name="expectedResults">The task's <c>numberResults</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<InferencePoll> GetResponseAsync(string taskUuid, int expectedResults = 1, CancellationToken cancellationToken = default);

    /// <summary><c>controlNetPreprocess</c>, synchronously.</summary>
    Task<PreprocessResult> PreprocessAsync(JsonObject task, CancellationToken cancellationToken = default);

    /// <summary>
    /// Downloads a result image Runware pointed to (never sending the API key), streamed with a hard size limit;
    /// only image content types are accepted. Transient faults are retried.
    /// </summary>
    Task<byte[]> DownloadAsync(Uri url, long maxBytes, CancellationToken cancellationToken = default);
}
