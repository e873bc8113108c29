namespace FluxFunctions.Core.Storage;

/// <summary>What a blob in the input container is.</summary>
public enum DropKind
{
    /// <summary><c>{tool}/{path}/{name}.{png,jpg,jpeg,webp}</c>: starts a job.</summary>
    Image,

    /// <summary><c>{name}.mask.png</c>: the Fill mask of the image next to it.</summary>
    Mask,

    /// <summary><c>{name}.ref.png</c>: the reference image of the image next to it (fill: ACE++; kontext: an extra reference).</summary>
    Reference,

    /// <summary><c>{name}.json</c>: the options of the image next to it.</summary>
    Options,

    /// <summary>Anything else (other extensions, folders markers): ignored.</summary>
    Ignored,
}
