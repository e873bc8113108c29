namespace FluxFunctions.Core.Pipeline;

/// <summary>What <see cref="InputPreparer.PrepareAsync"/> made ready for Runware.</summary>
/// <param name="Inputs">The prepared inputs (blob references, what reached Runware).</param>
/// <param name="GuideInput">
/// The photo as a data URI, sent inside the guide's <c>controlNetPreprocess</c> request instead of being uploaded first
/// (its transfer is then empty until that answer names the image); null when the photo was transferred. Kept in memory
/// only, never in an orchestration's history.
/// </param>
public sealed record PreparedJob(PreparedInputs Inputs, string? GuideInput);
