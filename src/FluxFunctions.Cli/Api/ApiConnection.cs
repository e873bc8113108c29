namespace FluxFunctions.Cli.Api;

/// <summary>
/// Where the API is and the key for it. <c>--url</c> may be given with or without the <c>/api</c> suffix
/// (<c>http://localhost:7071</c>, <c>https://app.azurewebsites.net/api</c>); routes are resolved under it, so a path
/// prefix in front of the API (a reverse proxy) is kept.
/// </summary>
internal sealed class ApiConnection
{
    private ApiConnection(Uri root, string? key)
    {
        Root = root;
        Key = key;
    }

    /// <summary>The base the <c>api/…</c> routes are resolved against, ending in a slash.</summary>
    public Uri Root { get; }

    /// <summary>The key sent as <c>x-functions-key</c>, or null when the runner allows anonymous calls.</summary>
    public string? Key { get; }

    /// <summary>Validates the URL (absolute http or https) and normalizes it.</summary>
    /// <exception cref="CliUsageException">No URL was given, or it is not an absolute http(s) URL.</exception>
    public static ApiConnection Create(string? url, string? key)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new CliUsageException("No API URL: pass --url (e.g. --url http://localhost:7071) or set FLUX_URL.");
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"--url must be an absolute http or https URL, got '{url}'.");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new CliUsageException("--url must not carry a query, a fragment or credentials: give the key with --key or FLUX_KEY.");
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^4];
        }

        var root = new UriBuilder(uri) { Path = path + "/" }.Uri;
        return new ApiConnection(root, string.IsNullOrWhiteSpace(key) ? null : key.Trim());
    }

    /// <summary>A route of the API, e.g. <c>api/edits</c>.</summary>
    public Uri Route(string relative) => new(Root, relative.TrimStart('/'));

    /// <summary>
    /// A URL the API returned: paths like <c>/api/edits/{id}/outputs/0</c> are resolved under <see cref="Root"/>;
    /// absolute URLs are taken as they are.
    /// </summary>
    public Uri Resolve(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        return Uri.TryCreate(url, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps)
            ? absolute
            : Route(url);
    }

    /// <summary>Whether the key may be sent to <paramref name="uri"/>: only to the API's own origin.</summary>
    public bool IsSameOrigin(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return Uri.Compare(uri, Root, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
    }
}
