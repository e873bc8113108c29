using FluxFunctions.Core.Storage;
using FluxFunctions.Runware;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// Makes prepared images available to Runware once per job: <c>imageUpload</c> of the bytes already in memory (the
/// returned imageUUIDs are reused by every later task) or, with <c>Runware__ImageTransfer=sas-url</c>, short-lived
/// read-only SAS URLs of their blobs that Runware fetches itself (no image bytes leave the function).
/// </summary>
public sealed class ImageTransfer(FluxStorage storage, IRunwareClient runware)
{
    /// <summary>The <c>Runware__ImageTransfer</c> mode that hands Runware SAS URLs instead of uploading.</summary>
    public const string SasUrl = "sas-url";

    private static readonly TimeSpan SasLifetime = TimeSpan.FromHours(2);

    /// <summary>Sends one piece (a seed and its mask, if any) by <paramref name="mode"/>.</summary>
    /// <exception cref="Errors.PermanentFluxException">Runware refused an image.</exception>
    public async Task<TransferredImages> SendAsync(PreparedBytes seed, PreparedBytes? mask, string mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (mode == SasUrl)
        {
            var seedUrl = await storage.GetReadSasUriAsync(seed.Blob.Blob, SasLifetime, cancellationToken).ConfigureAwait(false);
            Uri? maskUrl = mask is null ? null : await storage.GetReadSasUriAsync(mask.Blob.Blob, SasLifetime, cancellationToken).ConfigureAwait(false);
            return new TransferredImages(seedUrl.ToString(), maskUrl?.ToString(), 0);
        }

        if (mask is null)
        {
            var (uuid, bytes) = await UploadAsync(seed, cancellationToken).ConfigureAwait(false);
            return new TransferredImages(uuid, null, bytes);
        }

        // The seed and its mask go up side by side: Runware is a network away, and one upload need not wait for the other.
        var ((seedUuid, seedBytes), (maskUuid, maskBytes)) = await Together.Async(UploadAsync(seed, cancellationToken), UploadAsync(mask, cancellationToken)).ConfigureAwait(false);
        return new TransferredImages(seedUuid, maskUuid, seedBytes + maskBytes);
    }

    /// <summary>The image as a data URI, the form it takes inside a Runware task.</summary>
    public static string DataUri(PreparedBytes image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return DataUri(image.Blob.ContentType, image.Bytes.Span);
    }

    /// <summary>
    /// Image bytes of <paramref name="contentType"/> as a data URI, the form they take inside a Runware task. Written into
    /// one string of its final length: a 2048² image's URI is megabytes of UTF-16, and building it from the base64 text
    /// would hold both at once.
    /// </summary>
    public static string DataUri(string contentType, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        var prefix = $"data:{contentType};base64,";
        var base64Length = checked(((bytes.Length + 2) / 3) * 4);
        return string.Create(checked(prefix.Length + base64Length), new UriParts(prefix, bytes), static (chars, parts) =>
        {
            parts.Prefix.CopyTo(chars);
            if (!Convert.TryToBase64Chars(parts.Bytes, chars[parts.Prefix.Length..], out _))
            {
                throw new InvalidOperationException("The data URI's base64 text did not fit its computed length.");
            }
        });
    }

    private readonly ref struct UriParts(string prefix, ReadOnlySpan<byte> bytes)
    {
        public string Prefix { get; } = prefix;

        public ReadOnlySpan<byte> Bytes { get; } = bytes;
    }

    private async Task<(string ImageUuid, long Bytes)> UploadAsync(PreparedBytes image, CancellationToken cancellationToken)
    {
        var dataUri = DataUri(image);
        var uuid = await runware.UploadImageAsync(dataUri, cancellationToken).ConfigureAwait(false);
        return (uuid, dataUri.Length);
    }
}

/// <summary>A prepared image: its blob and its bytes, still in memory.</summary>
public sealed record PreparedBytes(PreparedBlob Blob, ReadOnlyMemory<byte> Bytes);
