namespace FluxFunctions.Cli.Api;

/// <summary>Why a call to the API did not succeed; each kind has its exit code.</summary>
internal enum ApiFailure
{
    /// <summary>No answer: refused connection, DNS, TLS, timeout.</summary>
    Unreachable,

    /// <summary>401 or 403: the key is missing or wrong.</summary>
    Unauthorized,

    /// <summary>400, 413, 415: the request is invalid.</summary>
    Rejected,

    /// <summary>404 from the API: no such job.</summary>
    NotFound,

    /// <summary>409: the job is in a state that does not allow the request.</summary>
    Conflict,

    /// <summary>5xx, or an answer that is not the FluxFunctions API's.</summary>
    Server,
}

/// <summary>A failed API call: what kind, the HTTP status and the problem body when there was one. Never carries the key.</summary>
internal sealed class FluxApiException : Exception
{
    public FluxApiException(ApiFailure failure, string message, int? status = null, ApiProblem? problem = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Status = status;
        Problem = problem;
    }

    public FluxApiException()
        : this(ApiFailure.Server, "The API call failed.")
    {
    }

    public FluxApiException(string message)
        : this(ApiFailure.Server, message)
    {
    }

    public FluxApiException(string message, Exception innerException)
        : this(ApiFailure.Server, message, inner: innerException)
    {
    }

    public ApiFailure Failure { get; }

    public int? Status { get; }

    public ApiProblem? Problem { get; }

    /// <summary>Worth retrying while following a job (the runner restarting, a proxy hiccup).</summary>
    public bool IsTransient => Failure == ApiFailure.Unreachable || (Failure == ApiFailure.Server && Status is 502 or 503 or 504);

    /// <summary>The exit code this failure ends the command with.</summary>
    public int ExitCode => Failure switch
    {
        ApiFailure.Rejected => ExitCodes.Rejected,
        ApiFailure.NotFound => ExitCodes.NotFound,
        ApiFailure.Conflict => ExitCodes.Conflict,
        _ => ExitCodes.Connection,
    };

    /// <summary>A short name of the kind, for <c>--json</c> error documents.</summary>
    public string Kind => Failure switch
    {
        ApiFailure.Unreachable => "unreachable",
        ApiFailure.Unauthorized => "unauthorized",
        ApiFailure.Rejected => "rejected",
        ApiFailure.NotFound => "notFound",
        ApiFailure.Conflict => "conflict",
        _ => "server",
    };
}
