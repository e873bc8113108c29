namespace FluxFunctions.Emulator.Protocol;

/// <summary>What a task needs to know about the HTTP request that carried it.</summary>
/// <param name="PublicBaseUrl">Scheme, host and path base, e.g. <c>http://127.0.0.1:5380</c>; image URLs are built on it.</param>
/// <param name="ForgetAsyncInferences">True when the request drew the <c>forget</c> fault: its async inferences are acknowledged, then forgotten.</param>
internal sealed record RequestContext(string PublicBaseUrl, bool ForgetAsyncInferences = false)
{
    /// <summary>The context of an ASP.NET Core request.</summary>
    public static RequestContext From(HttpRequest request, bool forgetAsyncInferences = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new RequestContext($"{request.Scheme}://{request.Host}{request.PathBase}", forgetAsyncInferences);
    }
}
