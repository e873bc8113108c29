using System.Net;
using System.Net.Sockets;
using FluxFunctions.Errors;

namespace FluxFunctions.Core.UrlSafety;

/// <summary>
/// The SSRF guard of every URL the pipeline contacts on a user's behalf (image URLs, and callbacks later): checks the
/// URL's form, resolves its host itself and refuses it unless every address passes the <see cref="IUrlPolicy"/>.
/// Callers connect only to the addresses returned (see <see cref="GuardedHttpClient"/>), so DNS cannot be re-bound
/// between the check and the connection. Errors are <see cref="ErrorCodes.UnsafeUrl"/> naming the field; messages show
/// the URL without its query (which may hold a token).
/// </summary>
public sealed class UrlGuard
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolve;

    public UrlGuard(IUrlPolicy policy)
        : this(policy, (host, ct) => Dns.GetHostAddressesAsync(host, ct))
    {
    }

    /// <summary>Creates a guard with its own host resolver (tests).</summary>
    public UrlGuard(IUrlPolicy policy, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(resolve);
        Policy = policy;
        this.resolve = resolve;
    }

    public IUrlPolicy Policy { get; }

    /// <summary>Parses and checks a URL given as text; on success <paramref name="url"/> is set.</summary>
    public FluxError? Check(string text, string field, out Uri? url)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(field);
        url = null;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed))
        {
            return new FluxError(ErrorCodes.UnsafeUrl, $"'{field}' is not a valid absolute URL.", field);
        }

        var error = Check(parsed, field);
        if (error is null)
        {
            url = parsed;
        }

        return error;
    }

    /// <summary>
    /// Checks what can be checked without the network: the scheme, a host, no user info, and a literal IP host against
    /// the policy.
    /// </summary>
    public FluxError? Check(Uri url, string field)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(field);
        if (!url.IsAbsoluteUri)
        {
            return new FluxError(ErrorCodes.UnsafeUrl, $"'{field}' must be an absolute URL.", field);
        }

        if (!Policy.AllowsScheme(url.Scheme))
        {
            var allowed = Policy.AllowsScheme(Uri.UriSchemeHttp) ? "http or https" : "https";
            return new FluxError(ErrorCodes.UnsafeUrl, $"'{field}' must be an {allowed} URL, not {Clip(url.Scheme)}:.", field);
        }

        if (url.UserInfo.Length > 0)
        {
            return new FluxError(ErrorCodes.UnsafeUrl, $"'{field}' must not carry credentials (user:password@) in the URL.", field);
        }

        if (url.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6) || url.IdnHost.Length == 0)
        {
            return new FluxError(ErrorCodes.UnsafeUrl, $"'{field}' has no valid host name.", field);
        }

        if (LiteralAddress(url) is { } literal && !Policy.AllowsAddress(literal))
        {
            return Refused(url, field, literal);
        }

        return null;
    }

    /// <summary>
    /// Resolves the URL's host and returns its addresses when every one is allowed. Throws
    /// <see cref="PermanentFluxException"/>: <see cref="ErrorCodes.UnsafeUrl"/> when the URL or an address is refused,
    /// <see cref="ErrorCodes.DownloadFailed"/> when the name does not resolve.
    /// </summary>
    public async Task<IPAddress[]> ResolveAsync(Uri url, string field, CancellationToken cancellationToken = default)
    {
        if (Check(url, field) is { } error)
        {
            throw new PermanentFluxException(error);
        }

        if (LiteralAddress(url) is { } literal)
        {
            return [literal];
        }

        IPAddress[] addresses;
        try
        {
            addresses = await resolve(url.IdnHost, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            throw new PermanentFluxException(new FluxError(ErrorCodes.DownloadFailed, $"'{field}': the host '{Clip(url.Host)}' could not be resolved.", field));
        }

        if (addresses.Length == 0)
        {
            throw new PermanentFluxException(new FluxError(ErrorCodes.DownloadFailed, $"'{field}': the host '{Clip(url.Host)}' has no addresses.", field));
        }

        foreach (var address in addresses)
        {
            if (!Policy.AllowsAddress(address))
            {
                throw new PermanentFluxException(Refused(url, field, address));
            }
        }

        return addresses;
    }

    /// <summary>The URL without query, fragment or user info, shortened: safe to show in messages and logs.</summary>
    public static string Display(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return "(relative URL)";
        }

        var shown = url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.SafeUnescaped);
        return Clip(shown, 120);
    }

    private static IPAddress? LiteralAddress(Uri url)
    {
        if (url.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return null;
        }

        return IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address) ? address : null;
    }

    private static FluxError Refused(Uri url, string field, IPAddress address)
    {
        var kind = AddressClassifier.Classify(address);
        var where = url.HostNameType == UriHostNameType.Dns ? $"resolves to {address}, " : "points to ";
        return new FluxError(
            ErrorCodes.UnsafeUrl,
            $"'{field}' URL {Display(url)} {where}{AddressClassifier.Describe(kind)}; only public internet addresses may be fetched.",
            field);
    }

    private static string Clip(string s, int max = 40) => s.Length <= max ? s : s[..max] + "…";
}
