using System.Security.Cryptography;
using System.Text;
using FluxFunctions.Core.Configuration;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Runner.Http;

/// <summary>
/// Checks a presented key against <c>Flux__ApiKeys__N</c> in constant time: both sides are reduced to SHA-256 hashes of
/// equal length and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>, against every configured key
/// (no early exit), so neither the content nor the length of a key leaks through timing.
/// </summary>
public sealed class ApiKeyVerifier
{
    private readonly byte[][] hashes;

    public ApiKeyVerifier(IOptions<FluxOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        hashes = options.Value.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(Hash).ToArray();
        AllowAnonymous = options.Value.AllowAnonymous && hashes.Length == 0;
    }

    /// <summary>True when no key is configured and <c>Flux__AllowAnonymous=true</c>: every request passes.</summary>
    public bool AllowAnonymous { get; }

    /// <summary>Whether <paramref name="presented"/> is one of the configured keys.</summary>
    public bool IsValid(string? presented)
    {
        if (AllowAnonymous)
        {
            return true;
        }

        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var candidate = Hash(presented);
        var match = false;
        foreach (var hash in hashes)
        {
            match |= CryptographicOperations.FixedTimeEquals(candidate, hash);
        }

        return match;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
