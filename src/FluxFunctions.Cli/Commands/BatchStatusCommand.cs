using System.CommandLine;
using System.Globalization;
using FluxFunctions.Cli.Api;
using FluxFunctions.Cli.Output;
using Spectre.Console;

namespace FluxFunctions.Cli.Commands;

/// <summary>
/// <c>flux batch-status TOOL/PATH/ [--watch] [--interval S] [--timeout S]</c>: the counts of a folder of blob drops
/// (<c>GET /api/batches/{tool}/{path}</c>). Without <c>--watch</c> prints them once (exit 0). With <c>--watch</c> asks
/// again every <c>--interval</c> seconds (3 by default), printing a line per change, until nothing is in progress; then
/// prints the counts and exits 0, or 1 when any image failed (7 when <c>--timeout</c> ends the watch first).
/// </summary>
internal static class BatchStatusCommand
{
    public static Command Create(CliHost host, CommonOptions common)
    {
        var folder = new Argument<string>("folder") { Description = $"The folder in the input container: TOOL/PATH/ (TOOL is one of {CliTools.Choices})" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Refresh until nothing is in progress (exit 1 when any image failed)" };
        var interval = new Option<double>("--interval") { Description = "Seconds between refreshes with --watch", HelpName = "seconds", DefaultValueFactory = _ => 3 };
        interval.Validators.Add(result =>
        {
            var s = result.GetValueOrDefault<double>();
            if (s <= 0 || double.IsNaN(s) || s > 3600)
            {
                result.AddError("--interval must be more than 0 and at most 3600 seconds.");
            }
        });
        var timeout = EditCommand.TimeoutOption();
        var command = new Command("batch-status", "Count a folder of blob drops: completed, failed by code, in progress by stage; --watch until done.") { folder, watch, interval, timeout };
        command.SetAction((parse, cancellationToken) =>
        {
            var run = new CommandRun(parse, host, common);
            return run.GuardAsync(
                async () =>
                {
                    var path = Folder(parse.GetValue(folder)!);
                    using var api = new FluxApiClient(run.Connection());
                    var snapshot = await api.GetBatchAsync(path, cancellationToken).ConfigureAwait(false);
                    if (!parse.GetValue(watch))
                    {
                        Write(run.Printer, snapshot);
                        return ExitCodes.Ok;
                    }

                    var deadline = EditCommand.Seconds(parse.GetValue(timeout)) is { } t ? DateTimeOffset.UtcNow + t : (DateTimeOffset?)null;
                    var every = TimeSpan.FromSeconds(parse.GetValue(interval));
                    string? last = null;
                    while (true)
                    {
                        var line = Progress(snapshot.Counts);
                        if (line != last)
                        {
                            run.Printer.Line(Markup.Escape(line));
                            last = line;
                        }

                        if (snapshot.Counts.Done)
                        {
                            Write(run.Printer, snapshot);
                            return snapshot.Counts.Failed > 0 ? ExitCodes.JobFailed : ExitCodes.Ok;
                        }

                        if (deadline is { } d && DateTimeOffset.UtcNow + every > d)
                        {
                            Write(run.Printer, snapshot);
                            run.Printer.Error($"{snapshot.Counts.InProgress} image(s) still in progress when --timeout ended the watch (they go on).");
                            return ExitCodes.Timeout;
                        }

                        await Task.Delay(every, cancellationToken).ConfigureAwait(false);
                        snapshot = await api.GetBatchAsync(path, cancellationToken).ConfigureAwait(false);
                    }
                },
                cancellationToken);
        });
        return command;
    }

    /// <summary>The folder argument as <c>tool/path/</c>; a usage error for an empty folder or a <c>.</c>/<c>..</c> segment.</summary>
    internal static string Folder(string folder)
    {
        var segments = folder.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            throw new CliUsageException($"Name a folder: TOOL/PATH/, where TOOL is one of {CliTools.Choices}.");
        }

        if (segments.Any(s => s is "." or ".."))
        {
            throw new CliUsageException($"'{folder}' contains a '.' or '..' segment; name the folder from the tool down, e.g. canny/products/.");
        }

        return string.Join('/', segments) + "/";
    }

    /// <summary>One line of counts, printed while watching.</summary>
    private static string Progress(BatchCounts c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.Prefix}: {c.Completed}/{c.Total} completed, {c.Failed} failed, {c.InProgress} in progress") +
        (c.Canceled > 0 ? string.Create(CultureInfo.InvariantCulture, $", {c.Canceled} canceled") : "");

    private static void Write(Printer printer, BatchSnapshot snapshot)
    {
        if (printer.Json)
        {
            printer.WriteJson(snapshot.Raw);
            return;
        }

        var c = snapshot.Counts;
        printer.Line($"batch        {Markup.Escape(c.Prefix)}");
        printer.Line($"images       {c.Total}");
        printer.Line($"completed    {c.Completed}");
        printer.Line($"failed       {c.Failed}{Breakdown(c.FailedByCode)}");
        if (c.Canceled > 0)
        {
            printer.Line($"canceled     {c.Canceled}");
        }

        printer.Line($"in progress  {c.InProgress}{Breakdown(c.InProgressByStage)}");
        if (c.OtherRecords > 0)
        {
            printer.Line($"other records {c.OtherRecords} (earlier uploads, removed images or HTTP jobs; not counted)");
        }

        if (c.RecentFailures is { Count: > 0 } failures)
        {
            printer.Line("newest failures:");
            foreach (var f in failures)
            {
                printer.Line(Markup.Escape($"  {f.Blob}  {f.Code ?? "-"}: {f.Message}"));
            }
        }
    }

    private static string Breakdown(IReadOnlyDictionary<string, int>? counts) =>
        counts is { Count: > 0 } ? Markup.Escape("  (" + string.Join(", ", counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")) + ")") : "";
}
