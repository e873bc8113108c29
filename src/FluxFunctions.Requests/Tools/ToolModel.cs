namespace FluxFunctions.Requests.Tools;

/// <summary>An output size a model accepts as a pair.</summary>
public readonly record struct SizePair(int Width, int Height)
{
    public override string ToString() => $"{Width}x{Height}";
}

/// <summary>One of the models a tool lets the request choose (<c>model</c>: the alias or the id), with its own rules.</summary>
/// <param name="Id">The Runware model id.</param>
/// <param name="Alias">The short name (<c>dev</c>, <c>pro</c>, <c>max</c>).</param>
public sealed record ToolModel(string Id, string Alias)
{
    /// <summary>When set, <c>width</c> and <c>height</c> go together and must be one of these; without them the pair nearest the input's aspect ratio is sent.</summary>
    public IReadOnlyList<SizePair>? SizePairs { get; init; }

    /// <summary>Fields this model refuses, with the reason.</summary>
    public IReadOnlyDictionary<string, string> Refuses { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
