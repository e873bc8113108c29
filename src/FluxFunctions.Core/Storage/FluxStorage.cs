using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Errors;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Storage;

/// <summary>
/// The pipeline's blob containers and the few operations it needs on them: read a pinned version with a size cap,
/// write once (If-None-Match), write, and read-only SAS URLs.
/// </summary>
public sealed class FluxStorage
{
    private readonly BlobServiceClient service;
    private readonly FluxOptions options;

    public FluxStorage(BlobServiceClient service, IOptions<FluxOptions> options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        this.service = service;
        this.options = options.Value;
    }

    public BlobServiceClient Service => service;

    public FluxOptions Options => options;

    public BlobContainerClient Inputs => service.GetBlobContainerClient(options.InputContainer);

    public BlobContainerClient Outputs => service.GetBlobContainerClient(options.OutputContainer);

    public BlobContainerClient Failed => service.GetBlobContainerClient(options.FailedContainer);

    public BlobContainerClient Work => service.GetBlobContainerClient(options.WorkContainer);

    /// <summary>Flagged results of jobs with <c>safety.onFlagged: quarantine</c>.</summary>
    public BlobContainerClient Quarantine => service.GetBlobContainerClient(options.QuarantineContainer);

    public BlobContainerClient Container(string name) => service.GetBlobContainerClient(name);

    /// <summary>Creates the five containers when they do not exist; returns the names of those it created.</summary>
    public async Task<IReadOnlyList<string>> EnsureContainersAsync(CancellationToken cancellationToken = default)
    {
        var created = new List<string>();
        foreach (var c in new[] { Inputs, Outputs, Failed, Work, Quarantine })
        {
            if (await c.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false) is not null)
            {
                created.Add(c.Name);
            }
        }

        return created;
    }

    /// <summary>
    /// Reads a blob, at the version its <see cref="BlobRef.ETag"/> names when set, refusing more than
    /// <paramref name="maxBytes"/>. Missing blobs and changed versions are permanent errors naming the blob.
    /// </summary>
    public async Task<BlobContent> ReadAsync(BlobRef blob, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var client = Container(blob.Container).GetBlobClient(blob.Name);
        var conditions = blob.ETag is null ? null : new BlobRequestConditions { IfMatch = new ETag(blob.ETag) };
        try
        {
            var result = await client.DownloadContentAsync(new BlobDownloadOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false);
            var details = result.Value.Details;
            if (details.ContentLength > maxBytes)
            {
                throw new PermanentFluxException(new FluxError(ErrorCodes.PayloadTooLarge, $"'{BlobNames.Printable(blob.Name)}' is {details.ContentLength} bytes; the limit is {maxBytes}."));
            }

            return new BlobContent(result.Value.Content.ToMemory(), details.ETag.ToString(), details.ContentType);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new PermanentFluxException(new FluxError(ErrorCodes.BlobNotFound, $"The blob '{blob.Container}/{BlobNames.Printable(blob.Name)}' does not exist."));
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new PermanentFluxException(new FluxError(ErrorCodes.BlobNotFound, $"The blob '{blob.Container}/{BlobNames.Printable(blob.Name)}' changed while the job ran (a newer upload replaced it; that upload is a job of its own)."));
        }
    }

    /// <summary>The blob's current ETag, or null when it does not exist.</summary>
    public async Task<string?> GetETagAsync(BlobRef blob, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        try
        {
            var props = await Container(blob.Container).GetBlobClient(blob.Name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return props.Value.ETag.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Writes (overwriting) a blob with a content type. Returns the new ETag.</summary>
    public async Task<string> WriteAsync(BlobRef blob, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var client = Container(blob.Container).GetBlobClient(blob.Name);
        var result = await client.UploadAsync(
            BinaryData.FromBytes(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken).ConfigureAwait(false);
        return result.Value.ETag.ToString();
    }

    /// <summary>
    /// Writes a blob only if it does not exist yet (If-None-Match: *). Returns false when it already existed, which makes
    /// "write the manifest" and "write the failure record" safe to repeat.
    /// </summary>
    public Task<bool> WriteOnceAsync(BlobRef blob, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default) =>
        WriteOnceAsync(blob, content, contentType, null, cancellationToken);

    /// <summary>
    /// Writes a blob with <paramref name="metadata"/> (listings read it without opening the blob) only if it does not
    /// exist yet; false when it already existed.
    /// </summary>
    public async Task<bool> WriteOnceAsync(BlobRef blob, ReadOnlyMemory<byte> content, string contentType, IDictionary<string, string>? metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var client = Container(blob.Container).GetBlobClient(blob.Name);
        try
        {
            await client.UploadAsync(
                BinaryData.FromBytes(content),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    Metadata = metadata,
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// A read-only SAS URL of a blob valid for <paramref name="lifetime"/>: a service SAS when the client holds the account
    /// key (Azurite, key-based accounts), otherwise a user-delegation SAS (managed identity).
    /// </summary>
    public async Task<Uri> GetReadSasUriAsync(BlobRef blob, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var client = Container(blob.Container).GetBlobClient(blob.Name);
        var starts = DateTimeOffset.UtcNow.AddMinutes(-5);
        var expires = DateTimeOffset.UtcNow.Add(lifetime);
        var builder = new BlobSasBuilder(BlobSasPermissions.Read, expires)
        {
            BlobContainerName = blob.Container,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = starts,
        };
        if (client.CanGenerateSasUri)
        {
            return client.GenerateSasUri(builder);
        }

        var key = await service.GetUserDelegationKeyAsync(starts, expires, cancellationToken).ConfigureAwait(false);
        var sas = builder.ToSasQueryParameters(key.Value, service.AccountName).ToString();
        return new UriBuilder(client.Uri) { Query = sas }.Uri;
    }
}

/// <summary>Bytes of a blob with the ETag and content type they were read at.</summary>
public sealed record BlobContent(ReadOnlyMemory<byte> Data, string ETag, string? ContentType);
