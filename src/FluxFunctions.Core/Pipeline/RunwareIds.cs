namespace FluxFunctions.Core.Pipeline;

/// <summary>Runware task ids made deterministically inside an orchestration.</summary>
public static class RunwareIds
{
    /// <summary>
    /// Turns the orchestration's deterministic <c>NewGuid()</c> (a name-based UUID) into the UUIDv4 form Runware asks
    /// for, by setting the version and variant bits. The same replay gives the same id, so a restarted job polls the task it
    /// submitted instead of submitting a new one.
    /// </summary>
    public static Guid ToV4(Guid deterministic)
    {
        Span<byte> bytes = stackalloc byte[16];
        deterministic.TryWriteBytes(bytes, bigEndian: true, out _);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
