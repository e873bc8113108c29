using FluxFunctions.Emulator.Configuration;

namespace FluxFunctions.Emulator.Dialects;

/// <summary>
/// How a result the content check flags is answered (<c>Emulator:FlaggedAnswer</c>). Runware documents
/// <c>NSFWContent</c> on results "if safety parameter is used" and says nothing of refusing them; its SDKs know safety
/// error codes, so a refusal is plausible too.
/// </summary>
internal enum FlaggedAnswer
{
    /// <summary>The image is returned with <c>NSFWContent: true</c> (documented flag; that the image is still returned is implied).</summary>
    Flag,

    /// <summary>The inference fails with <c>nsfwContentDetected</c> (a code of Runware's SDKs; that Runware answers so is assumed).</summary>
    Error,
}

/// <summary>The setting names of <see cref="FlaggedAnswer"/>.</summary>
internal static class FlaggedAnswers
{
    public static NamedValues<FlaggedAnswer> Names { get; } = new(
        (FlaggedAnswer.Flag, "flag"),
        (FlaggedAnswer.Error, "error"));
}
