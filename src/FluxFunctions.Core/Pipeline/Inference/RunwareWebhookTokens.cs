using System.Security.Cryptography;
using System.Text;
using FluxFunctions.Core.Configuration;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The per-job secret of Runware's webhook URLs, <c>{base}/api/runware/webhook/{jobId}?token={token}</c>. The token is
/// HMAC-SHA256 over the job id and the inference's taskUUID with a key derived (HKDF) from <c>Flux__WebhookSecret</c>, so
/// nothing is stored, every host computes the same token, and a token is good for one task of one job only. Compared in
/// constant time.
/// </summary>
public sealed class RunwareWebhookTokens
{
    /// <summary>The query parameter that carries the token.</summary>
    public const string QueryName = "token";

    private static readonly byte[] KeyLabel = Encoding.UTF8.GetBytes("FluxFunctions/runware-webhook-token/v1");

    private readonly byte[]? key;

    public RunwareWebhookTokens(IOptions<FluxOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var secret = options.Value.WebhookSecret;
        key = string.IsNullOrWhiteSpace(secret)
            ? null
            : HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: null, info: KeyLabel);
    }

    /// <summary>Whether tokens can be made (a webhook secret is configured).</summary>
    public bool IsConfigured => key is not null;

    /// <summary>The path of the webhook route for a job, relative to the deployment's base URL.</summary>
    public static string RoutePath(string jobId) => $"api/runware/webhook/{Uri.EscapeDataString(jobId)}";

    /// <summary>The token for one task of one job (base64url, 43 characters).</summary>
    public string Create(string jobId, string taskUuid)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(taskUuid);
        var k = key ?? throw new InvalidOperationException("Flux:WebhookSecret is not configured; Runware webhook tokens cannot be made.");
        var mac = HMACSHA256.HashData(k, Encoding.UTF8.GetBytes($"{jobId}\n{taskUuid.ToLowerInvariant()}"));
        return System.Buffers.Text.Base64Url.EncodeToString(mac);
    }

    /// <summary>True when <paramref name="token"/> is the token of this job and task (constant-time comparison).</summary>
    public bool IsValid(string jobId, string taskUuid, string? token)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(taskUuid);
        if (key is null || string.IsNullOrEmpty(token) || token.Length > 128)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Create(jobId, taskUuid));
        var presented = Encoding.UTF8.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    /// <summary>The <c>webhookURL</c> of an inference task: the route under <paramref name="baseUrl"/> with the token.</summary>
    public Uri WebhookUrl(string baseUrl, string jobId, string taskUuid)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return new Uri($"{baseUrl.TrimEnd('/')}/{RoutePath(jobId)}?{QueryName}={Create(jobId, taskUuid)}");
    }

    /// <summary>The webhook URL without its token: safe for manifests and logs.</summary>
    public static string DisplayUrl(string baseUrl, string jobId)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return $"{baseUrl.TrimEnd('/')}/{RoutePath(jobId)}";
    }
}
