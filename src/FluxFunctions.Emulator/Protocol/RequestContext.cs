namespace FluxFunctions.Emulator.Protocol;

/// <summary>What a task needs to know about the HTTP request that carried it.</summary>
/// <param name="PublicBaseUrl">Scheme, host and path base, e.g. <c>http://127.0.0.1:5380</c>; image URLs are built on it.</param>
internal sealed record RequestContext(string PublicBaseUrl)
{
    /// <summary>The context of an ASP.NET Core request.</summary>
    public static RequestContext From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new RequestContext($"{request.Scheme}://{request.Host}{request.PathBase}");
    }
}
