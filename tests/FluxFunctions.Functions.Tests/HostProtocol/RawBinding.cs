using System.Text.Json;
using FluxFunctions.Functions.Tests.HostProtocol.Rpc;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// One entry of a function's <c>raw_bindings</c> (the JSON of a functions.metadata binding) read the way the host does
/// before it builds a load request: name, type, direction (case-insensitive) and the optional data type.
/// </summary>
public sealed record RawBinding(string Name, string Type, BindingInfo.Types.Direction Direction, BindingInfo.Types.DataType DataType, string Json)
{
    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);

    public static RawBinding Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var name = root.GetProperty("name").GetString() ?? throw new FormatException($"A binding without a name: {json}");
        var type = root.GetProperty("type").GetString() ?? throw new FormatException($"A binding without a type: {json}");
        var direction = Enum.Parse<BindingInfo.Types.Direction>(root.GetProperty("direction").GetString() ?? "", ignoreCase: true);
        var dataType = root.TryGetProperty("dataType", out var d) && d.GetString() is { Length: > 0 } text
            ? Enum.Parse<BindingInfo.Types.DataType>(text, ignoreCase: true)
            : BindingInfo.Types.DataType.Undefined;
        return new RawBinding(name, type, direction, dataType, json);
    }

    /// <summary>What the host puts in <c>RpcFunctionMetadata.bindings</c> of a load request for this binding.</summary>
    public BindingInfo ToBindingInfo() => new() { Type = Type, Direction = Direction, DataType = DataType };
}
