using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using FluxFunctions.Cli.Api;
using FluxFunctions.Cli.Jobs;

namespace FluxFunctions.Cli.Commands;

/// <summary>
/// <c>flux edit TOOL IMAGE [options]</c>, one subcommand per <see cref="CliTools"/> row: submits one edit, waits for it with a live progress display
/// and downloads the results into <c>-o</c> (default: the current folder).
/// </summary>
internal static class EditCommand
{
    public static Command Create(CliHost host, CommonOptions common)
    {
        var edit = new Command("edit", "Edit one image with a FLUX tool, wait for it and download the results.");
        foreach (var cliTool in CliTools.All)
        {
            edit.Subcommands.Add(CreateTool(host, common, cliTool));
        }

        return edit;
    }

    private static Command CreateTool(CliHost host, CommonOptions common, CliTool cliTool)
    {
        var tool = cliTool.Name;
        var flags = new EditFlags();
        var image = new Argument<string>("image") { Description = "The input: a local PNG/JPEG/WebP file, or an https URL / blob:{container}/{name} the API reads" };
        var mask = new Option<string?>("--mask", "-m") { Description = cliTool.MaskHelp, HelpName = "mask.png" };
        var reference = new Option<string?>("--reference") { Description = "A reference image (fill: ACE++, what to paint into the mask; kontext: one extra reference): a local file, or an https URL / blob:{container}/{name}", HelpName = "reference.png" };
        var output = new Option<string>("--output", "-o") { Description = "Folder for the results", HelpName = "dir", DefaultValueFactory = _ => "." };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the job id and return at once" };
        var timeout = TimeoutOption();

        var command = new Command(tool, cliTool.Description);
        command.Arguments.Add(image);
        if (cliTool.MaskHelp is not null)
        {
            command.Options.Add(mask);
        }

        if (cliTool.ReferenceField is not null)
        {
            command.Options.Add(reference);
        }

        foreach (var option in flags.For(tool))
        {
            command.Options.Add(option);
        }

        command.Options.Add(output);
        command.Options.Add(timeout);
        command.Options.Add(noWait);

        command.SetAction((parse, cancellationToken) =>
        {
            var run = new CommandRun(parse, host, common);
            return run.GuardAsync(
                async () =>
                {
                    var connection = run.Connection();
                    var input = parse.GetValue(image)!;
                    var options = OptionsDocument.WithTool(flags.Collect(parse), tool, "--options");
                    string? imagePath = null;
                    if (ImageArgument.IsReference(input))
                    {
                        options["image"] = input;
                    }
                    else
                    {
                        imagePath = ImageArgument.ExistingFile(input, "image");
                    }

                    string? maskPath = null;
                    if (parse.GetValue(mask) is { } maskInput)
                    {
                        if (ImageArgument.IsReference(maskInput))
                        {
                            options["mask"] = maskInput;
                        }
                        else
                        {
                            maskPath = ImageArgument.ExistingFile(maskInput, "mask");
                        }
                    }

                    string? referencePath = null;
                    if (cliTool.ReferenceField is { } referenceField && parse.GetValue(reference) is { } referenceInput)
                    {
                        if (ImageArgument.IsReference(referenceInput))
                        {
                            options[referenceField] = referenceField == "references" ? new JsonArray(referenceInput) : referenceInput;
                        }
                        else
                        {
                            referencePath = ImageArgument.ExistingFile(referenceInput, "reference");
                        }
                    }

                    using var api = new FluxApiClient(connection);
                    var upload = new EditUpload(options, imagePath, maskPath) { ReferencePath = referencePath, ReferenceField = cliTool.ReferenceField ?? "reference" };
                    var accepted = await api.SubmitAsync(upload, cancellationToken).ConfigureAwait(false);
                    if (parse.GetValue(noWait))
                    {
                        if (run.Printer.Json)
                        {
                            run.Printer.WriteJson(new JsonObject { ["id"] = accepted.Id, ["statusUrl"] = accepted.StatusUrl });
                        }
                        else
                        {
                            run.Printer.Line(accepted.Id);
                        }

                        return ExitCodes.Ok;
                    }

                    var label = $"{tool} {Path.GetFileName(imagePath ?? ResultFiles.StemOf(input) ?? "image")}";
                    var target = new JobWatch.Target(accepted.Id, label, parse.GetValue(output), ResultFiles.StemOf(input), Seconds(parse.GetValue(timeout)));
                    return await new JobWatch(api, run.Printer).WaitAsync(target, cancellationToken).ConfigureAwait(false);
                },
                cancellationToken);
        });
        return command;
    }

    /// <summary><c>--timeout</c>: seconds to wait at most (positive).</summary>
    public static Option<double?> TimeoutOption()
    {
        var timeout = new Option<double?>("--timeout") { Description = "Stop waiting after this many seconds (the job goes on; exit code 7)", HelpName = "seconds" };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } s && (s <= 0 || double.IsNaN(s) || s > TimeSpan.MaxValue.TotalSeconds / 2))
            {
                result.AddError($"--timeout must be a positive number of seconds, not {s.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        return timeout;
    }

    public static TimeSpan? Seconds(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;
}
