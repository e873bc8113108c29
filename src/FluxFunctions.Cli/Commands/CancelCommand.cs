using System.CommandLine;
using FluxFunctions.Cli.Api;
using Spectre.Console;

namespace FluxFunctions.Cli.Commands;

/// <summary>
/// <c>flux cancel ID</c>: cancels a job that has not finished (exit 0); a finished one is exit 6, an unknown id exit 5.
/// </summary>
internal static class CancelCommand
{
    public static Command Create(CliHost host, CommonOptions common)
    {
        var id = new Argument<string>("id") { Description = "The job id" };
        var command = new Command("cancel", "Cancel a job that has not finished yet.") { id };
        command.SetAction((parse, cancellationToken) =>
        {
            var run = new CommandRun(parse, host, common);
            return run.GuardAsync(
                async () =>
                {
                    using var api = new FluxApiClient(run.Connection());
                    var (snapshot, done) = await api.CancelAsync(parse.GetValue(id)!.Trim(), cancellationToken).ConfigureAwait(false);
                    if (run.Printer.Json)
                    {
                        run.Printer.WriteJson(snapshot.Raw);
                    }
                    else
                    {
                        var status = snapshot.Status;
                        var stage = string.IsNullOrEmpty(status.Stage) ? "" : $" at stage {Markup.Escape(status.Stage)}";
                        run.Printer.Line(done
                            ? $"[olive]canceled[/] job {status.Id}{stage}"
                            : $"cancellation of job {status.Id} requested; it is still {Markup.Escape(status.Status)}{stage} (check with `flux status {status.Id}`)");
                    }

                    return ExitCodes.Ok;
                },
                cancellationToken);
        });
        return command;
    }
}
