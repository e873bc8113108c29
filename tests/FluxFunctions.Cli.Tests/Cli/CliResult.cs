using System.Text.Json;

namespace FluxFunctions.Cli.Tests.Cli;

/// <summary>What a run of <c>flux</c> ended with and printed.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Standard output as the <c>--json</c> document.</summary>
    public JsonElement Json()
    {
        try
        {
            return JsonDocument.Parse(Out).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"Standard output is not one JSON document ({ex.Message}).\nout: {Out}\nerr: {Error}");
        }
    }

    public override string ToString() => $"exit {ExitCode}\n--- out\n{Out}\n--- err\n{Error}";
}
