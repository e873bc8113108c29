using Microsoft.Extensions.Options;

namespace FluxFunctions.Runware;

/// <summary>
/// Cross-field rules of <see cref="RunwareOptions"/> that DataAnnotations cannot express. The failure lists every bad
/// setting by its configuration name and says how to fix it; it never repeats the API key.
/// </summary>
internal sealed class RunwareOptionsValidator : IValidateOptions<RunwareOptions>
{
    public ValidateOptionsResult Validate(string? name, RunwareOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.BaseUrl is not { IsAbsoluteUri: true } baseUrl || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Runware:BaseUrl must be an absolute http(s) URL, e.g. https://api.runware.ai/v1 or the emulator's http://127.0.0.1:5380/v1.");
        }
        else if (IsRunwareCloud(baseUrl))
        {
            if (!options.HasApiKey)
            {
                failures.Add($"Runware:ApiKey is required when Runware:BaseUrl is {baseUrl.Host}: set the Runware__ApiKey app setting (or point Runware__BaseUrl at the emulator).");
            }

            if (baseUrl.Scheme != Uri.UriSchemeHttps)
            {
                failures.Add($"Runware:BaseUrl must use https for {baseUrl.Host}; the API key must not travel in clear text.");
            }
        }

        if (options.ApiKey is { } key && options.HasApiKey)
        {
            var trimmed = key.Trim();
            if (trimmed.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add("Runware:ApiKey must be the bare key, without the 'Bearer ' prefix (the client adds it).");
            }
            else if (trimmed.Any(char.IsWhiteSpace) || trimmed.Any(char.IsControl))
            {
                failures.Add("Runware:ApiKey contains whitespace or control characters; copy the key again.");
            }
        }

        if (options.TotalTimeoutSeconds < options.AttemptTimeoutSeconds)
        {
            failures.Add($"Runware:TotalTimeoutSeconds ({options.TotalTimeoutSeconds}) must be at least Runware:AttemptTimeoutSeconds ({options.AttemptTimeoutSeconds}).");
        }

        if (options.MinDimension > options.MaxDimension)
        {
            failures.Add($"Runware:MinDimension ({options.MinDimension}) must not exceed Runware:MaxDimension ({options.MaxDimension}).");
        }

        if (options.MinDimension % 64 != 0 || options.MaxDimension % 64 != 0)
        {
            failures.Add($"Runware:MinDimension ({options.MinDimension}) and Runware:MaxDimension ({options.MaxDimension}) must be multiples of 64.");
        }

        if (options.WebhookBaseUrl is { } webhook && (!webhook.IsAbsoluteUri || (webhook.Scheme != Uri.UriSchemeHttps && webhook.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add("Runware:WebhookBaseUrl must be an absolute http(s) URL (the public base URL of this deployment).");
        }
        else if (options.WebhookBaseUrl is { } hook && (hook.Query.Length > 0 || hook.Fragment.Length > 0 || hook.UserInfo.Length > 0))
        {
            failures.Add("Runware:WebhookBaseUrl must be a plain base URL such as https://flux.example.com, without query, fragment or credentials.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>True for Runware's hosted API (api.runware.ai and other runware.ai hosts).</summary>
    public static bool IsRunwareCloud(Uri baseUrl) =>
        baseUrl.Host.Equals("runware.ai", StringComparison.OrdinalIgnoreCase)
        || baseUrl.Host.EndsWith(".runware.ai", StringComparison.OrdinalIgnoreCase);
}
