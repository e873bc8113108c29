using System.CommandLine;
using System.Globalization;
using FluxFunctions.Cli.Api;
using FluxFunctions.Cli.Batch;
using FluxFunctions.Cli.Jobs;

namespace FluxFunctions.Cli.Commands;

/// <summary>
/// <c>flux batch DIR --tool TOOL [--options opts.json] [--concurrency N] [-o OUT]</c>: every image of a folder as one job,
/// with a live table; masks and per-image options as companions (<c>{name}.mask.png</c>, <c>{name}.json</c>).
/// </summary>
internal static class BatchCommand
{
    /// <summary>Jobs in flight at most.</summary>
    public const int MaxConcurrency = 32;

    public static Command Create(CliHost host, CommonOptions common)
    {
        var flags = new EditFlags();
        var folder = new Argument<string>("dir") { Description = "Folder of images (.png, .jpg, .jpeg, .webp); {name}.mask.png is the fill mask of {name}, {name}.json its own options" };
        var tool = new Option<string>("--tool", "-t") { Description = "The FLUX tool for every image", HelpName = CliTools.Choices, Required = true };
        tool.AcceptOnlyFromAmong([.. CliTools.Names]);
        var concurrency = new Option<int>("--concurrency", "-c") { Description = $"Jobs in flight at once, 1-{MaxConcurrency}", HelpName = "n", DefaultValueFactory = _ => 4 };
        concurrency.Validators.Add(result =>
        {
            var n = result.GetValueOrDefault<int>();
            if (n < 1 || n > MaxConcurrency)
            {
                result.AddError($"--concurrency must be between 1 and {MaxConcurrency}, not {n.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        var output = new Option<string>("--output", "-o") { Description = "Folder for the results", HelpName = "dir", DefaultValueFactory = _ => "." };
        var timeout = EditCommand.TimeoutOption();

        var command = new Command("batch", "Run one FLUX tool over every image of a folder, with a live table of the jobs.");
        command.Arguments.Add(folder);
        command.Options.Add(tool);
        foreach (var option in flags.For(null))
        {
            command.Options.Add(option);
        }

        command.Options.Add(concurrency);
        command.Options.Add(output);
        command.Options.Add(timeout);
        command.SetAction((parse, cancellationToken) =>
        {
            var run = new CommandRun(parse, host, common);
            return run.GuardAsync(
                async () =>
                {
                    var connection = run.Connection();
                    var toolName = parse.GetValue(tool)!;
                    var options = OptionsDocument.WithTool(flags.Collect(parse), toolName, "--options");
                    var items = BatchItem.Find(parse.GetValue(folder)!);
                    foreach (var item in items.Where(i => i.Options is not null))
                    {
                        OptionsDocument.WithTool((System.Text.Json.Nodes.JsonObject)item.Options!.DeepClone(), toolName, item.OptionsFileName);
                    }
                    var n = parse.GetValue(concurrency);
                    var title = $"flux batch · {toolName} · {items.Count} image{(items.Count == 1 ? "" : "s")} · concurrency {n}";
                    var settings = new BatchRunner.Settings(toolName, options, parse.GetValue(output)!, n, EditCommand.Seconds(parse.GetValue(timeout)), title);
                    using var api = new FluxApiClient(connection);
                    return await new BatchRunner(api, run.Printer).RunAsync(items, settings, cancellationToken).ConfigureAwait(false);
                },
                cancellationToken);
        });
        return command;
    }
}
