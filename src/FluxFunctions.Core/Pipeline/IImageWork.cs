using System.Text.Json.Nodes;
using FluxFunctions.Core.Requests;

namespace FluxFunctions.Core.Pipeline;

/// <summary>
/// The image work of a job as the activities need it: prepare what is sent to Runware, finish what comes back.
/// Bad input is reported by throwing <see cref="Errors.PermanentFluxException"/> with a specific code.
/// </summary>
public interface IImageWork
{
    /// <summary>Probes, decodes and prepares the input (and mask) for the tool.</summary>
    PreparedJobImages Prepare(ReadOnlyMemory<byte> image, ReadOnlyMemory<byte>? mask, EditSpec spec);

    /// <summary>Turns a generated image into the stored result (stitch-back for Fill, output format).</summary>
    FinishedImage Finish(ReadOnlyMemory<byte> generated, ReadOnlyMemory<byte> original, ReadOnlyMemory<byte>? preparedMask, EditSpec spec, JsonObject? preparationReport);

    /// <summary>Reads an image's size from its header without decoding it.</summary>
    (int Width, int Height) ProbeSize(ReadOnlyMemory<byte> image);
}

/// <summary>What <see cref="IImageWork.Prepare"/> produced.</summary>
public sealed record PreparedJobImages(
    EncodedImage Seed,
    EncodedImage? Mask,
    int OriginalWidth,
    int OriginalHeight,
    int Width,
    int Height,
    IReadOnlyList<string> Warnings,
    JsonObject Report);

/// <summary>An encoded image with its size.</summary>
public sealed record EncodedImage(ReadOnlyMemory<byte> Bytes, string ContentType, int Width, int Height, bool Passthrough);

/// <summary>A stored result.</summary>
public sealed record FinishedImage(ReadOnlyMemory<byte> Bytes, string ContentType, int Width, int Height, JsonObject? Report);
