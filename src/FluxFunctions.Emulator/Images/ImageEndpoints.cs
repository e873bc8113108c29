using FluxFunctions.Emulator.Inspection;
using FluxFunctions.Emulator.Protocol;
using FluxFunctions.Emulator.Tasks;

namespace FluxFunctions.Emulator.Images;

/// <summary>
/// <c>GET /emulator/images/{imageUUID}.{png|jpg|webp}</c>: the stored image with its content type; HTTP 404 with a short
/// JSON error when it is unknown (<c>imageNotFound</c>) or an inference result past its ttl (<c>resultExpired</c>).
/// </summary>
internal static class ImageEndpoints
{
    /// <summary>Maps the route.</summary>
    public static void MapImages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/emulator/images/{file}", (string file, ImageStore store, ResultLifetime lifetime, EmulatorStats stats) =>
        {
            var dot = file.LastIndexOf('.');
            var shown = file.Length > 60 ? file[..60] : file;
            if (dot > 0
                && Guid.TryParse(file.AsSpan(0, dot), out var id)
                && ImageFormats.TryParseExtension(file[(dot + 1)..], out var format)
                && store.TryGet(id, out var image)
                && image.Format == format)
            {
                if (lifetime.IsExpired(image))
                {
                    return NotFound(ErrorCodes.ResultExpired, $"Image '{shown}' has expired (its ttl has passed).");
                }

                stats.ImageServed();
                return Results.Bytes(image.Bytes, image.Format.ContentType());
            }

            return NotFound(ErrorCodes.ImageNotFound, $"No image '{shown}' (unknown, evicted, or another extension).");
        });
    }

    private static IResult NotFound(string code, string message) =>
        Results.Text(ErrorBody.Single(code, message), "application/json", statusCode: StatusCodes.Status404NotFound);
}
