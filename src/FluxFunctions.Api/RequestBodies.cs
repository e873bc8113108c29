using System.Text.Json;
using FluxFunctions.Errors;
using FluxFunctions.Runware;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace FluxFunctions.Api;

/// <summary>How a request body is encoded.</summary>
public enum BodyKind
{
    Json,
    Multipart,
}

/// <summary>
/// Reads request bodies within the configured cap (413 above it, checked from Content-Length first and again while
/// reading, so chunked bodies cannot slip past), on both hosts alike.
/// </summary>
public static class RequestBodies
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>JSON (also when no content type is given) or multipart/form-data; anything else is a 415.</summary>
    public static BodyKind KindOf(HttpRequest request, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            throw new ProblemException(ApiProblems.TooLarge(maxBytes));
        }

        if (string.IsNullOrEmpty(request.ContentType))
        {
            return BodyKind.Json;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.MediaType.Value is not { } media)
        {
            throw new ProblemException(ApiProblems.UnsupportedMediaType(request.ContentType));
        }

        if (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.Json;
        }

        if (media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.Multipart;
        }

        throw new ProblemException(ApiProblems.UnsupportedMediaType(request.ContentType));
    }

    /// <summary>Reads and parses a JSON body; a body that is not JSON is a 400 <c>invalidJson</c>.</summary>
    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await ReadCappedAsync(request.Body, maxBytes, cancellationToken).ConfigureAwait(false)
            ?? throw new ProblemException(ApiProblems.TooLarge(maxBytes));
        if (body.Length == 0)
        {
            throw new PermanentFluxException(new FluxError(ErrorCodes.InvalidJson, "The request body is empty; send a JSON object (or multipart/form-data)."));
        }

        try
        {
            return JsonDocument.Parse(body, JsonOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            throw new PermanentFluxException(new FluxError(ErrorCodes.InvalidJson, $"The request body is not valid JSON{where}."));
        }
    }

    /// <summary>Reads a multipart/form-data body within the cap.</summary>
    public static async Task<IFormCollection> ReadFormAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = new FormOptions
        {
            MultipartBodyLengthLimit = maxBytes,
            ValueLengthLimit = (int)Math.Min(maxBytes, int.MaxValue),
            ValueCountLimit = 16,
            KeyLengthLimit = 256,
        };
        try
        {
            return await request.ReadFormAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) && ex.Message.Contains("length", StringComparison.OrdinalIgnoreCase))
        {
            throw new ProblemException(ApiProblems.TooLarge(maxBytes));
        }
        catch (InvalidDataException)
        {
            throw new PermanentFluxException(new FluxError(ErrorCodes.InvalidValue, "The multipart/form-data body could not be read: check the boundary and the part headers."));
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PermanentFluxException(new FluxError(ErrorCodes.InvalidValue, "The multipart/form-data body ended early."));
        }
    }

    /// <summary>The bytes of an uploaded file, or an error naming the field when it is over <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]> ReadFileAsync(IFormFile file, string field, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length > maxBytes)
        {
            throw new PermanentFluxException(new FluxError(ErrorCodes.PayloadTooLarge, $"'{field}' is {file.Length} bytes; the limit is {maxBytes} (Flux__MaxInputBytes).", field));
        }

        var stream = file.OpenReadStream();
        await using (stream.ConfigureAwait(false))
        {
            // The form is already buffered and knows the file's length: the buffer is sized once and is the result.
            return await CappedStream.ReadAsync(stream, maxBytes, cancellationToken, file.Length).ConfigureAwait(false)
                ?? throw new PermanentFluxException(new FluxError(ErrorCodes.PayloadTooLarge, $"'{field}' is over the limit of {maxBytes} bytes.", field));
        }
    }

    /// <summary>Reads a stream to its end, or returns null as soon as it exceeds <paramref name="maxBytes"/>.</summary>
    public static Task<byte[]?> ReadCappedAsync(Stream stream, long maxBytes, CancellationToken cancellationToken) =>
        CappedStream.ReadAsync(stream, maxBytes, cancellationToken);
}
