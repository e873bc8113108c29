using System.Text.Json.Serialization;

namespace FluxFunctions.Imaging;

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

    /// <summary>True when <paramref name="other"/> lies entirely inside this rectangle.</summary>
    public bool Contains(PixelRect other) => other.X >= X && other.Y >= Y && other.Right <= Right && other.Bottom <= Bottom;

    /// <summary>True when the two rectangles share at least one pixel.</summary>
    public bool IntersectsWith(PixelRect other) => other.X < Right && X < other.Right && other.Y < Bottom && Y < other.Bottom;

    /// <summary>The smallest rectangle holding both.</summary>
    public PixelRect Union(PixelRect other)
    {
        int x = Math.Min(X, other.X), y = Math.Min(Y, other.Y);
        return new PixelRect(x, y, Math.Max(Right, other.Right) - x, Math.Max(Bottom, other.Bottom) - y);
    }

    /// <summary>The rectangle grown by <paramref name="by"/> pixels on every side (may leave the image).</summary>
    public PixelRect Inflate(int by) => new(X - by, Y - by, Width + (2 * by), Height + (2 * by));

    /// <summary>The part inside <paramref name="bounds"/> (empty, 0×0, when they do not meet).</summary>
    public PixelRect Intersect(PixelRect bounds)
    {
        int x = Math.Max(X, bounds.X), y = Math.Max(Y, bounds.Y);
        int right = Math.Min(Right, bounds.Right), bottom = Math.Min(Bottom, bounds.Bottom);
        return right <= x || bottom <= y ? new PixelRect(x, y, 0, 0) : new PixelRect(x, y, right - x, bottom - y);
    }

    public override string ToString() => $"{Width}×{Height} at ({X}, {Y})";
}
