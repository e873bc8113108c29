using System.CommandLine;
using FluxFunctions.Cli.Api;
using FluxFunctions.Cli.Output;

namespace FluxFunctions.Cli.Commands;

/// <summary>
/// One invocation of a command: its parse result, the printer and the connection settings (<c>--url</c>/<c>--key</c>, else
/// <c>FLUX_URL</c>/<c>FLUX_KEY</c>). <see cref="GuardAsync"/> maps what a command throws to exit codes.
/// </summary>
internal sealed class CommandRun(ParseResult parse, CliHost host, CommonOptions common)
{
    public ParseResult Parse { get; } = parse;

    public CliHost Host { get; } = host;

    public Printer Printer { get; } = new(host, parse.GetValue(common.Json));

    /// <summary>The API's URL and key.</summary>
    /// <exception cref="CliUsageException">No URL, or a malformed one.</exception>
    public ApiConnection Connection() =>
        ApiConnection.Create(
            Parse.GetValue(common.Url) ?? Host.Environment(CommonOptions.UrlVariable),
            Parse.GetValue(common.Key) ?? Host.Environment(CommonOptions.KeyVariable));

    /// <summary>Runs a command body: usage problems → 2, API failures → their code, Ctrl+C → 130.</summary>
    public async Task<int> GuardAsync(Func<Task<int>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            return Printer.Usage(ex.Message);
        }
        catch (FluxApiException ex)
        {
            return Printer.ApiFailure(ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Printer.Usage(ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Printer.Error("interrupted");
            return ExitCodes.Interrupted;
        }
    }
}
