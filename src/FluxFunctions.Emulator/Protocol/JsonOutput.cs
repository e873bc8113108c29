using System.Text.Encodings.Web;
using System.Text.Json;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>How the emulator writes JSON: compact, without escaping '+' in base64 or non-ASCII text.</summary>
internal static class JsonOutput
{
    /// <summary>The serializer options for every answer.</summary>
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
