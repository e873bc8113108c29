using System.Text.Json.Serialization;

namespace FluxFunctions.Core.Imaging;

/// <summary>A width and a height in pixels.</summary>
public readonly record struct PixelSize(int Width, int Height)
{
    [JsonIgnore]
    public long Pixels => (long)Width * Height;

    [JsonIgnore]
    public double Aspect => Width / (double)Height;

    public override string ToString() => $"{Width}×{Height}";
}

/// <summary>An axis-aligned rectangle of whole pixels.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    [JsonIgnore]
    public int Right => X + Width;

    [JsonIgnore]
    public int Bottom => Y + Height;

    [JsonIgnore]
    public PixelSize Size => new(Width, Height);

    public bool Contains(int x, int y) => x >= X && x < Right && y >= Y && y < Bottom;

    public override string ToString() => $"{Width}×{Height} at ({X}, {Y})";
}
