using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FluxFunctions.Core.Callbacks;

/// <summary>
/// How completion callbacks are signed: <c>x-flux-signature: sha256={hex}</c>, the lower-case hex HMAC-SHA256 of
/// <c>{timestamp}.{body}</c> (UTF-8) keyed with the UTF-8 bytes of <c>Flux__WebhookSecret</c>, where the timestamp is
/// the <c>x-flux-timestamp</c> header (unix seconds). Receivers recompute it, compare in constant time and reject old
/// timestamps.
/// </summary>
public static class CallbackSignature
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "x-flux-signature";

    /// <summary>Unix seconds when this attempt was signed.</summary>
    public const string TimestampHeader = "x-flux-timestamp";

    /// <summary>The same for every attempt of one callback: <c>{jobId}.{outcome}</c>; receivers deduplicate on it.</summary>
    public const string DeliveryHeader = "x-flux-delivery";

    /// <summary>1 for the first attempt, 2 for the first retry, …</summary>
    public const string AttemptHeader = "x-flux-attempt";

    /// <summary>The prefix of the signature value.</summary>
    public const string Scheme = "sha256=";

    /// <summary>The <c>x-flux-signature</c> value of <paramref name="body"/> signed at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, string body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(body);
        var payload = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        return Scheme + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload));
    }
}
