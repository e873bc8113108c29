using System.CommandLine;
using FluxFunctions.Cli.Commands;

namespace FluxFunctions.Cli;

/// <summary>
/// The <c>flux</c> command line: <c>edit</c>, <c>batch</c>, <c>status</c>, <c>cancel</c>, <c>batch-status</c>. <see cref="RunAsync"/> is the
/// whole program (the entry point passes the real console; tests pass string writers).
/// </summary>
public static class FluxCli
{
    /// <summary>Parses and runs a command line; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(host);
        var root = CreateRoot(host);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await host.Error.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
            }

            await host.Error.WriteLineAsync($"Run `{CommandPath(parse.CommandResult)} --help` for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = host.Out,
            Error = host.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await host.Error.WriteLineAsync("interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
#pragma warning disable CA1031 // The last line of defence: a defect becomes a message and exit code 70, not a stack dump.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await host.Error.WriteLineAsync($"error: unexpected {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Internal;
        }
    }

    /// <summary>"flux edit fill" for the fill command.</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is System.CommandLine.Parsing.CommandResult { Command: not RootCommand } command)
            {
                names.Insert(0, command.Command.Name);
            }
        }

        return string.Join(' ', names.Prepend("flux"));
    }

    private static RootCommand CreateRoot(CliHost host)
    {
        var common = new CommonOptions();
        var root = new RootCommand(
            $"flux: FLUX Tools image edits ({string.Join(", ", CliTools.Names)}) through the FluxFunctions HTTP API.\n" +
            "The API's URL and key come from --url/--key or FLUX_URL/FLUX_KEY.\n\n" + ExitCodes.Describe());
        foreach (var option in common.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(EditCommand.Create(host, common));
        root.Subcommands.Add(BatchCommand.Create(host, common));
        root.Subcommands.Add(StatusCommand.Create(host, common));
        root.Subcommands.Add(CancelCommand.Create(host, common));
        root.Subcommands.Add(BatchStatusCommand.Create(host, common));
        return root;
    }
}
