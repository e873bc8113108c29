namespace FluxFunctions.Emulator.Images;

/// <summary>An image reference that resolved to valid encoded bytes.</summary>
/// <param name="Bytes">The encoded image.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Format">The encoding when it is PNG, JPG or WEBP; null for other decodable formats (GIF, BMP…).</param>
/// <param name="StoredAs">The stored image when the reference was an <c>imageUUID</c>; null for inline or URL images.</param>
internal sealed record ResolvedImage(byte[] Bytes, int Width, int Height, ImageFormat? Format, StoredImage? StoredAs);
