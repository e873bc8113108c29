using System.Diagnostics;
using System.Text.Json.Nodes;
using FluxFunctions.Cli.Api;
using FluxFunctions.Cli.Jobs;
using FluxFunctions.Cli.Output;
using Spectre.Console;

namespace FluxFunctions.Cli.Batch;

/// <summary>
/// Runs a batch: at most <see cref="Settings.Concurrency"/> jobs in flight (submitted and not yet finished), each
/// followed to its end and its results downloaded; a live table when the output is a terminal, one line per finished
/// job otherwise, a JSON summary with <c>--json</c>. A job the API rejects or that fails does not stop the others; an
/// unreachable API or a refused key stops the batch.
/// </summary>
internal sealed class BatchRunner(FluxApiClient api, Printer printer)
{
    private readonly Lock gate = new();

    /// <summary>What to run.</summary>
    public sealed record Settings(string Tool, JsonObject Options, string OutputFolder, int Concurrency, TimeSpan? Timeout, string Title);

    public async Task<int> RunAsync(IReadOnlyList<BatchItem> items, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(settings);
        var rows = items.Select(i => new BatchRow(i)).ToList();
        var started = Stopwatch.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.Timeout is { } timeout)
        {
            stop.CancelAfter(timeout);
        }

        FluxApiException? fatal = null;
        var work = Parallel.ForEachAsync(
            rows,
            new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = stop.Token },
            async (row, token) =>
            {
                try
                {
                    await RunOneAsync(row, settings, token).ConfigureAwait(false);
                }
                catch (FluxApiException ex)
                {
                    lock (gate)
                    {
                        fatal ??= ex;
                    }

                    await stop.CancelAsync().ConfigureAwait(false);
                }
            });

        if (printer.Live)
        {
            await printer.Console.Live(BatchTable.Render(rows, settings.Title, TimeSpan.Zero))
                .AutoClear(false)
                .StartAsync(async context =>
                {
                    while (!work.IsCompleted)
                    {
                        context.UpdateTarget(BatchTable.Render(rows, settings.Title, Stopwatch.GetElapsedTime(started)));
                        await Task.WhenAny(work, Task.Delay(250, CancellationToken.None)).ConfigureAwait(false);
                    }

                    context.UpdateTarget(BatchTable.Render(rows, settings.Title, Stopwatch.GetElapsedTime(started)));
                }).ConfigureAwait(false);
        }

        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped: by Ctrl+C, --timeout or a fatal API failure; reported below.
        }

        return Report(rows, settings, fatal, cancellationToken.IsCancellationRequested, Stopwatch.GetElapsedTime(started));
    }

    private async Task RunOneAsync(BatchRow row, Settings settings, CancellationToken cancellationToken)
    {
        // Each job gets its own copy: the shared options are read by every job at once and WithTool changes the copy.
        var options = row.Item.Options is null ? (JsonObject)settings.Options.DeepClone() : OptionsDocument.Merge(settings.Options, row.Item.Options);
        options = OptionsDocument.WithTool(options, settings.Tool, row.Item.OptionsFileName);
        row.Submitting();
        AcceptedJob accepted;
        try
        {
            accepted = await api.SubmitAsync(new EditUpload(options, row.Item.ImagePath, row.Item.MaskPath), cancellationToken).ConfigureAwait(false);
        }
        catch (FluxApiException ex) when (ex.Failure == ApiFailure.Rejected)
        {
            row.Rejected(ex);
            Finished(row);
            return;
        }

        row.Accepted(accepted.Id);
        JobSnapshot final;
        try
        {
            final = await new JobFollower(api, printer.PollInterval).FollowAsync(accepted.Id, row.Update, cancellationToken).ConfigureAwait(false);
        }
        catch (FluxApiException ex) when (ex.Failure == ApiFailure.NotFound)
        {
            row.Lost(ex.Message);
            Finished(row);
            return;
        }

        if (final.Status.Status == JobStates.Completed)
        {
            row.Update(final);
            try
            {
                row.Completed(await ResultFiles.DownloadAsync(api, final, settings.OutputFolder, row.Item.Stem, cancellationToken).ConfigureAwait(false));
            }
            catch (FluxApiException ex) when (ex.Failure == ApiFailure.NotFound)
            {
                row.Lost(ex.Message);
            }
        }
        else
        {
            row.Ended(final.Status);
        }

        Finished(row);
    }

    /// <summary>Without a live table: one line per finished job, as it finishes.</summary>
    private void Finished(BatchRow row)
    {
        if (printer.Live || printer.Json)
        {
            return;
        }

        var what = row.Phase == BatchPhase.Completed ? string.Join(" ", row.Files) : row.Error ?? "";
        lock (gate)
        {
            printer.Line($"{BatchTable.Phase(row.Phase).RemoveMarkup(),-10} {Markup.Escape(row.Item.Name)}  job {row.JobId ?? "-"}  {Markup.Escape(what)}");
        }
    }

    private int Report(List<BatchRow> rows, Settings settings, FluxApiException? fatal, bool interrupted, TimeSpan elapsed)
    {
        var counts = BatchCounts.Of(rows);
        var unfinished = rows.Where(r => !r.IsFinal && r.JobId is not null).ToList();
        if (printer.Json)
        {
            printer.WriteJson(BatchJson.Summary(rows, settings, fatal, interrupted, elapsed));
        }
        else
        {
            printer.Line($"{rows.Count} job{(rows.Count == 1 ? "" : "s")}: [green]{counts.Done} completed[/], [red]{counts.Failed} failed[/]" +
                (counts.Queued + counts.Running > 0 ? $", {counts.Queued + counts.Running} not finished" : "") +
                $" ({elapsed.TotalSeconds:0.0} s); results in {Markup.Escape(Path.GetFullPath(settings.OutputFolder))}");
        }

        foreach (var row in rows.Where(r => r.Phase is BatchPhase.Failed or BatchPhase.Canceled or BatchPhase.Rejected))
        {
            printer.Error($"{BatchTable.Phase(row.Phase).RemoveMarkup()}: {row.Item.Name}{(row.JobId is null ? "" : $" (job {row.JobId})")}: {row.Error}");
        }

        if (unfinished.Count > 0)
        {
            printer.Error($"still running on the server: {string.Join(" ", unfinished.Select(r => r.JobId))} (follow with `flux status ID --wait`, stop with `flux cancel ID`)");
        }

        if (fatal is not null)
        {
            if (!printer.Json)
            {
                printer.ApiFailure(fatal);
            }
            else
            {
                printer.Error("error: " + fatal.Message);
            }

            return fatal.ExitCode;
        }

        if (interrupted)
        {
            printer.Error("interrupted");
            return ExitCodes.Interrupted;
        }

        if (counts.Queued + counts.Running > 0)
        {
            printer.Error($"error: the batch has not finished after {settings.Timeout?.TotalSeconds:0.#} s (--timeout)");
            return ExitCodes.Timeout;
        }

        return counts.Failed > 0 ? ExitCodes.JobFailed : ExitCodes.Ok;
    }
}
