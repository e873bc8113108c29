namespace FluxFunctions.Cli;

/// <summary>
/// The exit codes of <c>flux</c>, stable for scripts (documented in the README and in <c>flux --help</c>).
/// </summary>
public static class ExitCodes
{
    /// <summary>Done: every job completed (and its results were downloaded), the status was read, the job was canceled.</summary>
    public const int Ok = 0;

    /// <summary>A job ended without results: failed or canceled (in a batch: at least one job did).</summary>
    public const int JobFailed = 1;

    /// <summary>The command line is wrong, or a local file (image, mask, options) is missing or unreadable, or a result cannot be written.</summary>
    public const int Usage = 2;

    /// <summary>The API could not be used: unreachable, the key was refused (401/403), or it answered a server error (5xx).</summary>
    public const int Connection = 3;

    /// <summary>The API rejected the request as invalid (400, 413, 415); the message names each bad field.</summary>
    public const int Rejected = 4;

    /// <summary>No job has this id (404).</summary>
    public const int NotFound = 5;

    /// <summary>The job cannot be canceled any more: it has finished or is writing its manifest (409).</summary>
    public const int Conflict = 6;

    /// <summary><c>--timeout</c> passed before the job finished; it goes on running on the server.</summary>
    public const int Timeout = 7;

    /// <summary>An unexpected error inside the command line itself (a defect; the message says what).</summary>
    public const int Internal = 70;

    /// <summary>Interrupted (Ctrl+C); submitted jobs go on running on the server.</summary>
    public const int Interrupted = 130;

    /// <summary>One line per code, for <c>--help</c>.</summary>
    public static string Describe() =>
        """
        Exit codes:
          0    ok: every job completed and its results were downloaded; status read; job canceled
          1    a job failed or was canceled (batch: at least one)
          2    usage error: bad arguments, a local file that is missing, unreadable or cannot be written
          3    connection or authentication error: API unreachable, key refused (401/403), server error (5xx)
          4    request rejected by the API as invalid (400/413/415), each bad field named
          5    no job has this id (404)
          6    the job can no longer be canceled (409)
          7    --timeout passed; the job goes on running (follow it with `flux status ID --wait`)
          70   unexpected internal error of the command line
          130  interrupted (Ctrl+C); submitted jobs go on running
        """;
}
