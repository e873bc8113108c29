namespace FluxFunctions.Runware;

/// <summary>
/// Removes the API key from any text that came from outside (Runware's error messages, exception messages), in case a
/// server or proxy ever echoes it. Our own messages never contain it in the first place.
/// </summary>
public sealed class SecretRedactor
{
    private const string Mask = "***";
    private readonly string? _secret;

    public SecretRedactor(string? secret) =>
        _secret = string.IsNullOrWhiteSpace(secret) || secret.Trim().Length < 4 ? null : secret.Trim();

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _secret is null ? text : text.Replace(_secret, Mask, StringComparison.Ordinal);
    }

    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);
}
