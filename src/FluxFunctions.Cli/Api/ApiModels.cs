using System.Text.Json.Nodes;

namespace FluxFunctions.Cli.Api;

/// <summary>The body of <c>202 Accepted</c> from <c>POST /api/edits</c>.</summary>
internal sealed record AcceptedJob(string Id, string? StatusUrl);

/// <summary>The body of <c>GET /api/edits/{id}</c> (SPEC §3), as far as the command line reads it.</summary>
internal sealed record JobStatus(
    string Id,
    string? Tool,
    string Status,
    string? Stage,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<JobOutput>? Outputs,
    ApiError? Error)
{
    /// <summary>Whether the job has ended: completed, failed or canceled.</summary>
    public bool IsFinal => Status is JobStates.Completed or JobStates.Failed or JobStates.Canceled;
}

/// <summary>One result image of a job.</summary>
/// <param name="Flagged">True when Runware's safety check flagged the image and the job kept it (<c>onFlagged: record</c>).</param>
internal sealed record JobOutput(int Index, string Url, int Width, int Height, long? Seed, string? Format, bool? Flagged = null);

/// <summary>One problem: <c>{code, message, parameter}</c>.</summary>
internal sealed record ApiError(string? Code, string? Message, string? Parameter);

/// <summary>An RFC 7807 answer of the API (<c>application/problem+json</c>).</summary>
internal sealed record ApiProblem(string? Type, string? Title, int? Status, string? Detail, IReadOnlyList<ApiError>? Errors, string? TraceId);

/// <summary>A job's status together with the JSON it came in (printed as is by <c>--json</c>).</summary>
internal sealed record JobSnapshot(JobStatus Status, JsonObject Raw);

/// <summary>The values of <see cref="JobStatus.Status"/>.</summary>
internal static class JobStates
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Canceled = "canceled";
}

/// <summary>The body of <c>GET /api/batches/{tool}/{path}</c>, as far as the command line reads it.</summary>
internal sealed record BatchCounts(
    string Prefix,
    int Total,
    int Completed,
    int Failed,
    int Canceled,
    int InProgress,
    bool Done,
    IReadOnlyDictionary<string, int>? FailedByCode,
    IReadOnlyDictionary<string, int>? InProgressByStage,
    IReadOnlyList<BatchFailureLine>? RecentFailures,
    int OtherRecords);

/// <summary>One of the newest failures of a batch.</summary>
internal sealed record BatchFailureLine(string Blob, string? Code, string? Message, string? Stage, DateTimeOffset FailedAt);

/// <summary>A batch's counts together with the JSON they came in (printed as is by <c>--json</c>).</summary>
internal sealed record BatchSnapshot(BatchCounts Counts, JsonObject Raw);
