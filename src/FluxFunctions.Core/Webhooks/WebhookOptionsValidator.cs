using FluxFunctions.Core.Configuration;
using FluxFunctions.Runware;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Webhooks;

/// <summary>
/// Rules of the webhook settings that span two sections: a <c>Flux:WebhookSecret</c>, when set, is long enough to be a
/// key, and <c>Runware:WebhookBaseUrl</c> needs it (the per-job webhook tokens are derived from it). Never repeats the
/// secret.
/// </summary>
internal sealed class WebhookOptionsValidator(IOptions<RunwareOptions> runware) : IValidateOptions<FluxOptions>
{
    /// <summary>Shortest secret accepted.</summary>
    public const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, FluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var secret = options.WebhookSecret;
        if (!string.IsNullOrEmpty(secret) && secret.Trim().Length < MinSecretLength)
        {
            failures.Add($"Flux:WebhookSecret must be at least {MinSecretLength} characters (a random string, e.g. from 'openssl rand -hex 32').");
        }

        if (runware.Value.WebhookBaseUrl is not null && string.IsNullOrWhiteSpace(secret))
        {
            failures.Add("Runware:WebhookBaseUrl is set but Flux:WebhookSecret is not: the tokens in Runware's webhook URLs are derived from it. Set Flux__WebhookSecret too.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
