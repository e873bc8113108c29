using FluxFunctions.Emulator.Protocol;

namespace FluxFunctions.Emulator.Images;

/// <summary><c>GET /emulator/images/{imageUUID}.{png|jpg|webp}</c>: the stored image with its content type.</summary>
internal static class ImageEndpoints
{
    /// <summary>Maps the route.</summary>
    public static void MapImages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/emulator/images/{file}", (string file, ImageStore store) =>
        {
            var dot = file.LastIndexOf('.');
            if (dot > 0
                && Guid.TryParse(file.AsSpan(0, dot), out var id)
                && ImageFormats.TryParseExtension(file[(dot + 1)..], out var format)
                && store.TryGet(id, out var image)
                && image.Format == format)
            {
                return Results.Bytes(image.Bytes, image.Format.ContentType());
            }

            return Results.Text(ErrorBody.Single("imageNotFound", $"No image '{(file.Length > 60 ? file[..60] : file)}' (unknown, evicted, or another extension)."),
                "application/json", statusCode: StatusCodes.Status404NotFound);
        });
    }
}
