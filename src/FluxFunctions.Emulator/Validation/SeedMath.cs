using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FluxFunctions.Emulator.Validation;

/// <summary>Seeds as Runware uses them: 1 to 2^63-1; result i of an inference uses seed + i.</summary>
internal static class SeedMath
{
    /// <summary>Largest seed Runware accepts.</summary>
    public const long Max = long.MaxValue;

    /// <summary>Largest seed the emulator picks by itself (exact in JSON doubles, for any client).</summary>
    private const long PickedMax = (1L << 53) - 1;

    /// <summary>A seed picked deterministically from the task UUID when the client gave none.</summary>
    public static long FromTaskUuid(Guid taskUuid)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(taskUuid.ToString("D")));
        return (long)(BinaryPrimitives.ReadUInt64LittleEndian(hash) % (ulong)PickedMax) + 1;
    }

    /// <summary>The seed of result <paramref name="index"/>: seed + index, wrapping within 1..2^63-1.</summary>
    public static long ForResult(long seed, int index)
    {
        var zeroBased = (ulong)(seed - 1) + (ulong)index;
        return (long)(zeroBased % (ulong)Max) + 1;
    }
}
