namespace FluxFunctions.ImageRules;

/// <summary>
/// Runware's allowed output sizes: multiples of <see cref="Step"/> within [<see cref="Min"/>, <see cref="Max"/>].
/// The lower bound is stated differently in different places (RUNWARE.md), so it is configurable.
/// </summary>
public sealed record SizeRules(int Min = 128, int Max = 2048, int Step = 64, int TargetPixels = 1024 * 1024)
{
    public static SizeRules Default { get; } = new();

    public bool IsValid(int value) => value >= Min && value <= Max && value % Step == 0;
}
