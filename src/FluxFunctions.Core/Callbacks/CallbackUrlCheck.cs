using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.UrlSafety;
using FluxFunctions.Errors;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Callbacks;

/// <summary>
/// Whether a <c>callbackUrl</c> may be used on this deployment, for HTTP requests and blob options alike: what the SSRF
/// guard checks without the network (https — http only with <c>Flux__AllowPrivateNetworkUrls</c> —, a host, no
/// credentials, a literal IP address the policy allows), at most <see cref="MaxLength"/> characters, and a configured
/// <c>Flux__WebhookSecret</c> to sign with. Where the host resolves is checked again on every delivery.
/// </summary>
public sealed class CallbackUrlCheck(UrlGuard guard, IOptions<FluxOptions> options)
{
    /// <summary>The field name errors carry.</summary>
    public const string Field = "callbackUrl";

    /// <summary>Longest callback URL accepted.</summary>
    public const int MaxLength = 2048;

    /// <summary>The problem with <paramref name="url"/>, or null when it may be used (also when there is none).</summary>
    public FluxError? Check(string? url)
    {
        if (url is null)
        {
            return null;
        }

        if (url.Length > MaxLength)
        {
            return new FluxError(ErrorCodes.InvalidValue, $"'{Field}' is {url.Length} characters; at most {MaxLength} are accepted.", Field);
        }

        if (guard.Check(url, Field, out _) is { } unsafeUrl)
        {
            return unsafeUrl;
        }

        if (string.IsNullOrWhiteSpace(options.Value.WebhookSecret))
        {
            return new FluxError(
                ErrorCodes.InvalidValue,
                $"This deployment cannot sign callbacks (no Flux__WebhookSecret is configured); leave out '{Field}' or ask its operator to set the secret.",
                Field);
        }

        return null;
    }
}
