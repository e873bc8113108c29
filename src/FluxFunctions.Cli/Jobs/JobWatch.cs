using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FluxFunctions.Cli.Api;
using FluxFunctions.Cli.Output;
using Spectre.Console;

namespace FluxFunctions.Cli.Jobs;

/// <summary>
/// Waits for one job with a live progress bar (stage by stage) when the output is a terminal, silently otherwise;
/// downloads the results of a completed job; reports the outcome and returns the exit code.
/// </summary>
internal sealed class JobWatch(FluxApiClient api, Printer printer)
{
    /// <summary>What is waited for.</summary>
    /// <param name="Id">The job id.</param>
    /// <param name="Label">How the job is named in the display (tool and file).</param>
    /// <param name="OutputFolder">Where to download the results; null: no download.</param>
    /// <param name="Stem">The results' file name stem (the input's name), else the job id.</param>
    /// <param name="Timeout">How long to wait at most; null: until the job ends.</param>
    public sealed record Target(string Id, string Label, string? OutputFolder, string? Stem, TimeSpan? Timeout);

    public async Task<int> WaitAsync(Target target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (target.Timeout is { } timeout)
        {
            limit.CancelAfter(timeout);
        }

        JobSnapshot final;
        try
        {
            final = printer.Live
                ? await FollowLiveAsync(target, limit.Token).ConfigureAwait(false)
                : await new JobFollower(api, printer.PollInterval).FollowAsync(target.Id, _ => { }, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && limit.IsCancellationRequested)
        {
            var seconds = target.Timeout!.Value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            printer.Error($"error: job {target.Id} has not finished after {seconds} s; it goes on running. Follow it with `flux status {target.Id} --wait`.");
            if (printer.Json)
            {
                printer.WriteJson(new JsonObject { ["error"] = new JsonObject { ["kind"] = "timeout", ["id"] = target.Id, ["message"] = $"not finished after {seconds} s" } });
            }

            return ExitCodes.Timeout;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            printer.Error($"interrupted: job {target.Id} goes on running on the server; follow it with `flux status {target.Id} --wait` or stop it with `flux cancel {target.Id}`.");
            if (printer.Json)
            {
                printer.WriteJson(new JsonObject { ["error"] = new JsonObject { ["kind"] = "interrupted", ["id"] = target.Id } });
            }

            return ExitCodes.Interrupted;
        }

        var status = final.Status;
        if (status.Status != JobStates.Completed)
        {
            printer.JobError(status);
            if (printer.Json)
            {
                printer.WriteJson(final.Raw);
            }

            return ExitCodes.JobFailed;
        }

        IReadOnlyList<string> files = [];
        if (target.OutputFolder is not null)
        {
            files = await ResultFiles.DownloadAsync(api, final, target.OutputFolder, target.Stem, cancellationToken).ConfigureAwait(false);
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (printer.Json)
        {
            printer.WriteJson(final.Raw);
        }
        else
        {
            var count = status.Outputs?.Count ?? 0;
            printer.Line($"[green]completed[/] job {status.Id} ({Markup.Escape(status.Tool ?? "edit")}, {count} output{(count == 1 ? "" : "s")}, {elapsed} s)");
            StatusText.WriteOutputs(printer, status, files);
        }

        return ExitCodes.Ok;
    }

    private async Task<JobSnapshot> FollowLiveAsync(Target target, CancellationToken cancellationToken)
    {
        JobSnapshot? result = null;
        await printer.Console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(target, null), maxValue: Stages.Count);
                result = await new JobFollower(api, printer.PollInterval).FollowAsync(
                    target.Id,
                    snapshot =>
                    {
                        task.Description = Describe(target, snapshot.Status);
                        if (Stages.IndexOf(snapshot.Status.Stage) is { } index)
                        {
                            task.Value = index;
                        }
                    },
                    cancellationToken).ConfigureAwait(false);
                if (result.Status.Status == JobStates.Completed)
                {
                    task.Value = task.MaxValue;
                }

                task.StopTask();
            }).ConfigureAwait(false);
        return result!;
    }

    private static string Describe(Target target, JobStatus? status)
    {
        var state = status is null ? "[grey]submitted[/]" : StatusText.Colored(status.Status);
        var stage = status?.Stage is { } s && s != status.Status ? $" · {Markup.Escape(s)}" : "";
        return $"{Markup.Escape(target.Label)} · job {Markup.Escape(StatusText.Short(target.Id))} · {state}{stage}";
    }
}
