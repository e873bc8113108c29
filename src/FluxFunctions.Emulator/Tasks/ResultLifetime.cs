using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Images;
using FluxFunctions.Emulator.Validation;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Tasks;

/// <summary>
/// How long inference results live: the task's <c>ttl</c> (seconds, at least 60) when it asks for URLs, as Runware
/// documents it ("only applies when outputType is URL"); otherwise <c>Emulator:ResultTtlSeconds</c> (Runware's default
/// lifetime is undocumented). Expiry is checked when a result is read, so nothing runs in the background.
/// </summary>
internal sealed class ResultLifetime(IOptions<EmulatorOptions> options, TimeProvider time)
{
    private readonly int defaultTtlSeconds = options.Value.ResultTtlSeconds;

    /// <summary>The lifetime of this inference's results, in seconds.</summary>
    public int TtlSeconds(InferenceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.OutputType == OutputType.Url && request.TtlSeconds is { } ttl ? ttl : defaultTtlSeconds;
    }

    /// <summary>When results made now for this inference expire.</summary>
    public DateTimeOffset ExpiresAt(InferenceRequest request) => time.GetUtcNow().AddSeconds(TtlSeconds(request));

    /// <summary>True when the image has an expiry and it has passed.</summary>
    public bool IsExpired(StoredImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.ExpiresAt is { } at && at <= time.GetUtcNow();
    }
}
