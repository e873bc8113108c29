using System.Text;
using SkiaSharp;

namespace FluxFunctions.Emulator.Images;

/// <summary>
/// A small deterministic generator (SplitMix64): the same seed gives the same sequence on every platform and runtime,
/// unlike <see cref="Random"/> whose algorithm may change.
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong state = seed;

    /// <summary>A generator for one rendered image: mixes the seed with the model and the prompt (FNV-1a, stable).</summary>
    public static SeededRandom For(long seed, string model, string prompt)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompt);
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(model + "\n" + prompt))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return new SeededRandom(hash ^ ((ulong)seed * 0x9E3779B97F4A7C15UL));
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A float in [min, max).</summary>
    public float NextFloat(float min, float max) => min + ((float)NextDouble() * (max - min));

    /// <summary>An integer in [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive) => min + (int)(NextUInt64() % (ulong)(maxExclusive - min));

    /// <summary>A colour whose channels lie in [min, max].</summary>
    public SKColor NextColor(int min = 0, int max = 255, byte alpha = 255) =>
        new((byte)Next(min, max + 1), (byte)Next(min, max + 1), (byte)Next(min, max + 1), alpha);
}
