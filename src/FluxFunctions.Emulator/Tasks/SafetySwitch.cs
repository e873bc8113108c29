using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Dialects;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Tasks;

/// <summary>
/// Which results the emulator's content check flags: with <see cref="FlagEvery"/> N, every result whose seed is a
/// multiple of N minus one (seeds 1, 3, 5… for N = 2; every result for N = 1), so the verdict is the same for the same
/// request and seed whatever the order or concurrency; 0 flags nothing. Only results of tasks that ask for a check
/// (<c>safety</c>) are looked at. Set by <c>Emulator:FlagEvery</c>, changed at run time by <c>PUT /emulator/safety</c>.
/// </summary>
internal sealed class SafetySwitch(IOptions<EmulatorOptions> options)
{
    private readonly int configured = options.Value.FlagEvery;
    private readonly FlaggedAnswer configuredAnswer = FlaggedAnswers.Names.TryParse(options.Value.FlaggedAnswer, out var a) ? a : FlaggedAnswer.Flag;
    private volatile int flagEvery = options.Value.FlagEvery;
    private volatile FlaggedAnswer answer = FlaggedAnswers.Names.TryParse(options.Value.FlaggedAnswer, out var b) ? b : FlaggedAnswer.Flag;

    /// <summary>Every how many results one is flagged (0: none).</summary>
    public int FlagEvery => flagEvery;

    /// <summary>How a flagged result is answered.</summary>
    public FlaggedAnswer Answer => answer;

    /// <summary>Whether the result made with <paramref name="seed"/> is flagged.</summary>
    public bool Flags(long seed)
    {
        var every = flagEvery;
        return every > 0 && (seed + 1) % every == 0;
    }

    /// <summary>Changes the switch until <see cref="Restore"/>.</summary>
    public void Replace(int every, FlaggedAnswer flaggedAnswer)
    {
        flagEvery = every;
        answer = flaggedAnswer;
    }

    /// <summary>Back to the settings.</summary>
    public void Restore() => Replace(configured, configuredAnswer);
}
