namespace FluxFunctions.Emulator.Validation;

/// <summary>Whether an async inference asks to be forgotten (prompt triggers <c>emulator:forget</c>, <c>emulator:forget-once</c>).</summary>
internal enum ForgetTrigger
{
    /// <summary>Run normally.</summary>
    None,

    /// <summary>Acknowledge, then never run and forget it, every time.</summary>
    Always,

    /// <summary>Forget it the first time its taskUUID is submitted; run a resubmission normally.</summary>
    Once,
}
