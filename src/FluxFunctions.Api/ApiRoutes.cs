namespace FluxFunctions.Api;

/// <summary>Routes of the HTTP API (SPEC §3), relative to <c>/api</c>.</summary>
public static class ApiRoutes
{
    public const string Edits = "edits";
    public const string Edit = "edits/{id}";
    public const string EditOutput = "edits/{id}/outputs/{index:int}";
    public const string Preprocess = "preprocess/{kind}";
    public const string Health = "health";
}
