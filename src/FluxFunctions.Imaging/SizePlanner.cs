using FluxFunctions.ImageRules;

namespace FluxFunctions.Imaging;

/// <summary>Chooses the width and height sent to Runware.</summary>
public static class SizePlanner
{
    /// <summary>
    /// The size to generate: the request's when it gives both; otherwise derived from the input's aspect ratio
    /// (from the one given side, or at about <see cref="SizeRules.TargetPixels"/>), in multiples of 64 within range.
    /// </summary>
    public static (int Width, int Height) Plan(int sourceWidth, int sourceHeight, int? width, int? height, SizeRules? rules = null)
    {
        rules ??= SizeRules.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        var aspect = sourceWidth / (double)sourceHeight;

        if (width is { } w && height is { } h)
        {
            return (w, h);
        }

        if (width is { } w1)
        {
            return (w1, Snap(w1 / aspect, rules));
        }

        if (height is { } h1)
        {
            return (Snap(h1 * aspect, rules), h1);
        }

        var idealWidth = Math.Sqrt(rules.TargetPixels * aspect);
        var idealHeight = idealWidth / aspect;

        // Try the rounding neighbours and keep the one closest to the input's aspect ratio and the pixel target.
        var best = (W: Snap(idealWidth, rules), H: Snap(idealHeight, rules));
        var bestScore = double.MaxValue;
        foreach (var cw in Candidates(idealWidth, rules))
        {
            foreach (var ch in Candidates(idealHeight, rules))
            {
                var aspectError = Math.Abs(Math.Log(cw / (double)ch / aspect));
                var areaError = Math.Abs(Math.Log(cw * (double)ch / rules.TargetPixels));
                var score = (aspectError * 4) + areaError;
                if (score < bestScore)
                {
                    bestScore = score;
                    best = (cw, ch);
                }
            }
        }

        return best;
    }

    /// <summary>The size of <paramref name="sizes"/> nearest the aspect ratio of <paramref name="width"/>×<paramref name="height"/> (the first of equals).</summary>
    public static PixelSize Nearest(IReadOnlyList<PixelSize> sizes, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        var aspect = Math.Log(width / (double)height);
        return sizes.MinBy(p => Math.Abs(Math.Log(p.Width / (double)p.Height) - aspect));
    }

    private static IEnumerable<int> Candidates(double ideal, SizeRules rules)
    {
        var down = (int)Math.Floor(ideal / rules.Step) * rules.Step;
        yield return Math.Clamp(down, rules.Min, rules.Max);
        yield return Math.Clamp(down + rules.Step, rules.Min, rules.Max);
    }

    private static int Snap(double value, SizeRules rules) =>
        Math.Clamp((int)Math.Round(value / rules.Step) * rules.Step, rules.Min, rules.Max);
}
