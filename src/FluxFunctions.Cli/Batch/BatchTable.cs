using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using FluxFunctions.Cli.Output;

namespace FluxFunctions.Cli.Batch;

/// <summary>
/// The live table of <c>flux batch</c>: the counts (queued, running, done, failed) and one row per job with its status,
/// stage, time and result. Long batches show the jobs that matter now (running, then failed, then recent) and a count
/// of the rest.
/// </summary>
internal static class BatchTable
{
    /// <summary>Rows shown at most.</summary>
    public const int MaxRows = 20;

    public static IRenderable Render(IReadOnlyList<BatchRow> rows, string title, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var counts = BatchCounts.Of(rows);
        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title(Markup.Escape(title))
            .Caption($"queued {counts.Queued} · [blue]running {counts.Running}[/] · [green]done {counts.Done}[/] · [red]failed {counts.Failed}[/] · {Clock(elapsed)}")
            .AddColumn("File")
            .AddColumn("Job")
            .AddColumn("Status")
            .AddColumn("Stage")
            .AddColumn(new TableColumn("Time").RightAligned())
            .AddColumn("Result");

        var shown = rows.Count <= MaxRows ? rows : Prioritized(rows).Take(MaxRows - 1).ToList();
        foreach (var row in shown)
        {
            table.AddRow(
                Markup.Escape(Clip(row.Item.Name, 32)),
                Markup.Escape(row.JobId is null ? "-" : StatusText.Short(row.JobId)),
                Phase(row.Phase),
                Markup.Escape(row.Stage ?? "-"),
                row.Elapsed == TimeSpan.Zero ? "" : $"{row.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
                Result(row));
        }

        if (shown.Count < rows.Count)
        {
            table.AddRow($"[grey]… {rows.Count - shown.Count} more[/]", "", "", "", "", "");
        }

        return table;
    }

    /// <summary>The status word of a row, colored.</summary>
    public static string Phase(BatchPhase phase) => phase switch
    {
        BatchPhase.Waiting => "[grey]queued[/]",
        BatchPhase.Submitting => "[grey]submitting[/]",
        BatchPhase.Pending => "[grey]pending[/]",
        BatchPhase.Running => "[blue]running[/]",
        BatchPhase.Downloading => "[blue]downloading[/]",
        BatchPhase.Completed => "[green]completed[/]",
        BatchPhase.Failed => "[red]failed[/]",
        BatchPhase.Canceled => "[olive]canceled[/]",
        _ => "[red]rejected[/]",
    };

    private static IEnumerable<BatchRow> Prioritized(IReadOnlyList<BatchRow> rows) =>
        rows.Where(r => r.Phase is BatchPhase.Running or BatchPhase.Downloading or BatchPhase.Submitting or BatchPhase.Pending)
            .Concat(rows.Where(r => r.Phase is BatchPhase.Failed or BatchPhase.Canceled or BatchPhase.Rejected))
            .Concat(rows.Where(r => r.Phase == BatchPhase.Completed).Reverse())
            .Concat(rows.Where(r => r.Phase == BatchPhase.Waiting));

    private static string Result(BatchRow row) => row.Phase switch
    {
        BatchPhase.Completed => Markup.Escape(row.Files.Count switch
        {
            0 => "-",
            1 => Path.GetFileName(row.Files[0]),
            _ => $"{Path.GetFileName(row.Files[0])} +{row.Files.Count - 1}",
        }),
        BatchPhase.Failed or BatchPhase.Canceled or BatchPhase.Rejected => $"[red]{Markup.Escape(Clip(row.Error ?? "", 60))}[/]",
        _ => "",
    };

    private static string Clock(TimeSpan elapsed) => elapsed.ToString(elapsed.TotalHours >= 1 ? @"h\:mm\:ss" : @"mm\:ss", CultureInfo.InvariantCulture);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
