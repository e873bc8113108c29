using System.CommandLine;
using FluxFunctions.Cli.Api;
using FluxFunctions.Cli.Jobs;
using FluxFunctions.Cli.Output;

namespace FluxFunctions.Cli.Commands;

/// <summary>
/// <c>flux status ID [--wait] [-o DIR]</c>: prints a job's status (exit 0 whatever the job's state); with <c>--wait</c>
/// follows it like <c>flux edit</c> (exit 0 completed, 1 failed or canceled); with <c>-o</c> downloads the results of a
/// completed job.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliHost host, CommonOptions common)
    {
        var id = new Argument<string>("id") { Description = "The job id (from `flux edit --no-wait`, the 202 answer or a batch)" };
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait until the job has ended, with progress" };
        var output = new Option<string?>("--output", "-o") { Description = "Download the results of a completed job into this folder", HelpName = "dir" };
        var timeout = EditCommand.TimeoutOption();
        var command = new Command("status", "Show a job's status; --wait follows it to the end.") { id, wait, output, timeout };
        command.SetAction((parse, cancellationToken) =>
        {
            var run = new CommandRun(parse, host, common);
            return run.GuardAsync(
                async () =>
                {
                    using var api = new FluxApiClient(run.Connection());
                    var jobId = parse.GetValue(id)!.Trim();
                    if (parse.GetValue(wait))
                    {
                        var target = new JobWatch.Target(jobId, "job", parse.GetValue(output), null, EditCommand.Seconds(parse.GetValue(timeout)));
                        return await new JobWatch(api, run.Printer).WaitAsync(target, cancellationToken).ConfigureAwait(false);
                    }

                    var snapshot = await api.GetAsync(jobId, cancellationToken).ConfigureAwait(false);
                    IReadOnlyList<string> files = [];
                    if (parse.GetValue(output) is { } folder && snapshot.Status.Status == JobStates.Completed)
                    {
                        files = await ResultFiles.DownloadAsync(api, snapshot, folder, null, cancellationToken).ConfigureAwait(false);
                    }

                    if (run.Printer.Json)
                    {
                        run.Printer.WriteJson(snapshot.Raw);
                    }
                    else
                    {
                        StatusText.Write(run.Printer, snapshot.Status, files);
                    }

                    return ExitCodes.Ok;
                },
                cancellationToken);
        });
        return command;
    }
}
