using System.Text.Json.Nodes;

namespace FluxFunctions.Core.Runware;

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
    /// Submits an <c>imageInference</c> task with <c>deliveryMethod: "async"</c>. Safe to call again with the same
    /// task: when Runware already knows the <c>taskUUID</c> (a retry after a crash or a lost answer) it is not submitted
    /// (and paid for) a second time.
    /// </summary>
    Task<SubmitOutcome> SubmitInferenceAsync(JsonObject task, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>getResponse</c>: the status of every generation of an async task. <see cref="PollStatus.Success"/> only when
    /// <paramref name="expectedResults"/> generations succeeded, <see cref="PollStatus.Error"/> when one failed,
    /// <see cref="PollStatus.Unknown"/> when Runware does not know the taskUUID, otherwise <see cref="PollStatus.Processing"/>.
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
