using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FluxFunctions.Testing.Webhooks;

/// <summary>
/// Verifies a completion callback as a receiver would, independently of the product's signing code: recompute
/// <c>sha256=</c> + hex HMAC-SHA256 of <c>{x-flux-timestamp}.{body}</c> with the shared secret and compare in constant time.
/// </summary>
public static class CallbackVerifier
{
    public static bool IsValid(string secret, ReceivedPost post)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(post);
        var timestamp = post.Header("x-flux-timestamp");
        var signature = post.Header("x-flux-signature");
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var expected = "sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + "." + post.Body)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }
}
