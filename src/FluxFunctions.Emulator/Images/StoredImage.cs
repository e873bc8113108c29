namespace FluxFunctions.Emulator.Images;

/// <summary>An encoded image kept in memory under its <c>imageUUID</c>.</summary>
/// <param name="Id">The image UUID.</param>
/// <param name="Bytes">The encoded bytes (never mutated).</param>
/// <param name="Format">The encoding.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="ExpiresAt">When an inference result expires (its <c>ttl</c>); null for images that do not (uploads, guides).</param>
internal sealed record StoredImage(Guid Id, byte[] Bytes, ImageFormat Format, int Width, int Height, DateTimeOffset? ExpiresAt = null)
{
    /// <summary>The UUID as Runware writes it.</summary>
    public string IdText => Id.ToString("D");

    /// <summary>The relative path the image is served at.</summary>
    public string RelativeUrl => $"/emulator/images/{IdText}.{Format.Extension()}";
}
