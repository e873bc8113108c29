namespace FluxFunctions.Requests.Tools;

/// <summary>Whether a tool takes a mask, and when it must have one.</summary>
public enum MaskUse
{
    /// <summary>No mask: one given is refused (HTTP) or ignored with a warning (preparation).</summary>
    None,

    /// <summary>A mask is required (white = the area the model works on).</summary>
    Required,

    /// <summary>A mask is required unless the options extend the canvas (<c>outpaint</c>).</summary>
    RequiredUnlessOutpaint,
}

/// <summary>Whether the image sent to the model is a guide made from the photo, and which.</summary>
public enum GuideKind
{
    /// <summary>The photo itself is sent (after preparation).</summary>
    None,

    /// <summary>A Canny edge map (made here, by Runware, or given).</summary>
    Canny,

    /// <summary>A depth map (made by Runware, or given).</summary>
    Depth,
}

/// <summary>Whether a tool needs a prompt.</summary>
public enum PromptUse
{
    /// <summary>At least <see cref="Requests.EditDefaults.MinPromptLength"/> characters.</summary>
    Required,

    /// <summary>Empty, or at least the minimum length; empty is sent as the model's "no prompt" keyword.</summary>
    Optional,

    /// <summary>The model takes no prompt; one given is a validation error.</summary>
    Forbidden,
}
