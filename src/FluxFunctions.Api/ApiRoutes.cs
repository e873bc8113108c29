namespace FluxFunctions.Api;

/// <summary>
/// Routes of the HTTP API (SPEC §3), relative to <c>/api</c>: the Functions triggers and the runner map these same
/// constants to the same handlers, so the two hosts cannot drift.
/// </summary>
public static class ApiRoutes
{
    /// <summary>The prefix both hosts serve the routes under (host.json <c>extensions.http.routePrefix</c>).</summary>
    public const string Prefix = "api";

    public const string Edits = "edits";
    public const string Edit = "edits/{id}";
    public const string EditOutput = "edits/{id}/outputs/{index:int}";
    public const string Preprocess = "preprocess/{kind}";
    public const string Health = "health";
    public const string Tools = "tools";

    /// <summary>A batch of blob drops at a glance: <c>{path}</c> is the folder below the tool folder (may be empty).</summary>
    public const string Batch = "batches/{tool}/{*path}";

    /// <summary>Runware's result posts (anonymous: the per-job token in the query authenticates them).</summary>
    public const string RunwareWebhook = "runware/webhook/{id}";
}
