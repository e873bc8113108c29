using FluxFunctions.Functions.Tests.HostProtocol.Rpc;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>A function the worker indexed (FunctionMetadataResponse) and the load request the host sends for it.</summary>
public sealed record IndexedFunction(RpcFunctionMetadata Metadata, IReadOnlyList<RawBinding> Bindings)
{
    public string Name => Metadata.Name;

    public string FunctionId => Metadata.FunctionId;

    public RawBinding Trigger => Bindings.Single(b => b.IsTrigger);

    /// <summary>
    /// The host's load request: the worker's id, name, directory, script file and entry point, one BindingInfo per raw
    /// binding, and the worker's properties.
    /// </summary>
    public FunctionLoadRequest ToLoadRequest()
    {
        var metadata = new RpcFunctionMetadata
        {
            Name = Metadata.Name,
            FunctionId = Metadata.FunctionId,
            Directory = Metadata.Directory,
            ScriptFile = Metadata.ScriptFile,
            EntryPoint = Metadata.EntryPoint,
            IsProxy = false,
        };
        foreach (var binding in Bindings)
        {
            metadata.Bindings.Add(binding.Name, binding.ToBindingInfo());
        }

        metadata.Properties.Add(Metadata.Properties);
        return new FunctionLoadRequest { FunctionId = Metadata.FunctionId, Metadata = metadata };
    }

    public static IndexedFunction From(RpcFunctionMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new IndexedFunction(metadata, metadata.RawBindings.Select(RawBinding.Parse).ToList());
    }
}
