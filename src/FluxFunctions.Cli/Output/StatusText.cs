using System.Globalization;
using FluxFunctions.Cli.Api;
using Spectre.Console;

namespace FluxFunctions.Cli.Output;

/// <summary>How a job's status reads for people.</summary>
internal static class StatusText
{
    /// <summary>The status with a color (markup).</summary>
    public static string Colored(string status) => status switch
    {
        JobStates.Completed => "[green]completed[/]",
        JobStates.Failed => "[red]failed[/]",
        JobStates.Canceled => "[olive]canceled[/]",
        JobStates.Running => "[blue]running[/]",
        _ => $"[grey]{Markup.Escape(status)}[/]",
    };

    /// <summary>The first 12 characters of a job id (enough to tell jobs apart on screen).</summary>
    public static string Short(string id) => id.Length <= 12 ? id : id[..12];

    /// <summary>Every field of the status, one per line.</summary>
    public static void Write(Printer printer, JobStatus status, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(status);
        printer.Line($"job      {Markup.Escape(status.Id)}");
        printer.Line($"tool     {Markup.Escape(status.Tool ?? "-")}");
        printer.Line($"status   {Colored(status.Status)}");
        printer.Line($"stage    {Markup.Escape(status.Stage ?? "-")}");
        printer.Line($"created  {status.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}");
        printer.Line($"updated  {status.UpdatedAt.ToString("u", CultureInfo.InvariantCulture)}");
        if (status.Error is { } error)
        {
            var parameter = string.IsNullOrEmpty(error.Parameter) ? "" : $" (parameter: {error.Parameter})";
            printer.Line($"error    {Markup.Escape($"{error.Code ?? "-"}: {error.Message}{parameter}")}");
        }

        WriteOutputs(printer, status, files);
    }

    /// <summary>One line per result: the downloaded file (or the URL), size, seed, format, and whether it was flagged.</summary>
    public static void WriteOutputs(Printer printer, JobStatus status, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(status);
        var outputs = status.Outputs ?? [];
        for (var i = 0; i < outputs.Count; i++)
        {
            var o = outputs[i];
            var where = i < files.Count ? files[i] : o.Url;
            var seed = o.Seed is { } s ? $"  seed {s.ToString(CultureInfo.InvariantCulture)}" : "";
            var flagged = o.Flagged == true ? "  flagged by Runware's safety check" : "";
            printer.Line($"  {Markup.Escape(where)}  {o.Width}x{o.Height} {Markup.Escape(o.Format ?? "")}{seed}{Markup.Escape(flagged)}");
        }
    }
}
