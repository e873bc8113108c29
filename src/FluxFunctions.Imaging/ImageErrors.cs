using System.Globalization;
using FluxFunctions.Errors;

namespace FluxFunctions.Imaging;

/// <summary>The bad-input errors of image handling (SPEC §5), each with its code and a message that says what to do.</summary>
internal static class ImageErrors
{
    /// <summary>How a parameter is named in a sentence.</summary>
    public static string Noun(string parameter) => parameter == "generated" ? "generated image" : parameter;

    public static PermanentFluxException Empty(string what, string parameter) =>
        Fail(ErrorCodes.EmptyImage, $"The {what} is empty (0 bytes).", parameter);

    public static PermanentFluxException NotAnImage(string what, string parameter, string? detected) =>
        Fail(
            ErrorCodes.NotAnImage,
            detected is null
                ? $"The {what} is not an image: expected PNG, JPEG or WebP."
                : $"The {what} is not an image but {detected}: expected PNG, JPEG or WebP.",
            parameter);

    public static PermanentFluxException Unsupported(string what, string parameter, string format) =>
        Fail(ErrorCodes.UnsupportedImageFormat, $"The {what} is {format}, which is not supported: use PNG, JPEG or WebP.", parameter);

    public static PermanentFluxException Corrupt(string what, string parameter, string format, string detail) =>
        Fail(ErrorCodes.CorruptImage, $"The {what} ({format}) is truncated or damaged: {detail}.", parameter);

    public static PermanentFluxException TooManyBytes(string what, string parameter, long bytes, long limit) =>
        Fail(ErrorCodes.ImageTooLarge, $"The {what} is {Megabytes(bytes)}; the limit is {Megabytes(limit)}.", parameter);

    public static PermanentFluxException TooManyPixels(string what, string parameter, int width, int height, long limit) =>
        Fail(
            ErrorCodes.ImageTooLarge,
            $"The {what} is {width}×{height} ({Megapixels((long)width * height)}); the limit is {Megapixels(limit)}. Scale it down before sending it.",
            parameter);

    public static PermanentFluxException TooSmall(string what, string parameter, int width, int height, int minSide) =>
        Fail(ErrorCodes.ImageTooSmall, $"The {what} is {width}×{height}; each side must be at least {minSide} pixels.", parameter);

    public static PermanentFluxException Fail(string code, string message, string? parameter) =>
        new(new FluxError(code, message, parameter));

    private static string Megabytes(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MiB");

    private static string Megapixels(long pixels) =>
        string.Create(CultureInfo.InvariantCulture, $"{pixels / 1_000_000.0:0.#} MP");
}
