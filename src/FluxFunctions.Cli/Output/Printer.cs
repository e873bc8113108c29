using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Cli.Api;
using Spectre.Console;

namespace FluxFunctions.Cli.Output;

/// <summary>
/// Where a command's words go. Results: human lines on standard output, or with <c>--json</c> one JSON document and
/// nothing else. Errors and hints: standard error, plain text. Live displays only when <see cref="Live"/>.
/// </summary>
internal sealed class Printer
{
    private static readonly JsonSerializerOptions JsonOut = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly CliHost host;

    public Printer(CliHost host, bool json)
    {
        ArgumentNullException.ThrowIfNull(host);
        this.host = host;
        Json = json;
        Live = host.Interactive && !json;
        Console = host.CreateConsole(Live);
    }

    /// <summary>Whether <c>--json</c> was given.</summary>
    public bool Json { get; }

    /// <summary>Whether live displays (progress, refreshing tables, colors) are drawn.</summary>
    public bool Live { get; }

    /// <summary>The console over standard output.</summary>
    public IAnsiConsole Console { get; }

    public TimeSpan PollInterval => host.PollInterval;

    /// <summary>A human result line (Spectre markup; plain text when not live). Nothing in <c>--json</c> mode.</summary>
    public void Line(string markup = "")
    {
        if (Json)
        {
            return;
        }

        if (Live)
        {
            Console.MarkupLine(markup);
        }
        else
        {
            host.Out.WriteLine(markup.RemoveMarkup());
        }
    }

    /// <summary>A line on standard error.</summary>
    public void Error(string message) => host.Error.WriteLine(message);

    /// <summary>The <c>--json</c> document.</summary>
    public void WriteJson(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        host.Out.WriteLine(node.ToJsonString(JsonOut));
        host.Out.Flush();
    }

    /// <summary>Reports a usage error (stderr; and a JSON error document with <c>--json</c>).</summary>
    public int Usage(string message)
    {
        Error("error: " + message);
        if (Json)
        {
            WriteJson(new JsonObject { ["error"] = new JsonObject { ["kind"] = "usage", ["message"] = message } });
        }

        return ExitCodes.Usage;
    }

    /// <summary>Reports a failed API call with every problem the API named; returns its exit code.</summary>
    public int ApiFailure(FluxApiException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Error("error: " + failure.Message);
        foreach (var problem in failure.Problem?.Errors ?? [])
        {
            var field = string.IsNullOrEmpty(problem.Parameter) ? "" : problem.Parameter + ": ";
            var code = string.IsNullOrEmpty(problem.Code) ? "" : $" [{problem.Code}]";
            Error($"  - {field}{problem.Message}{code}");
        }

        if (Json)
        {
            var error = new JsonObject { ["kind"] = failure.Kind, ["message"] = failure.Message };
            if (failure.Status is { } status)
            {
                error["status"] = status;
            }

            if (failure.Problem is { } body)
            {
                error["problem"] = JsonSerializer.SerializeToNode(body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
            }

            WriteJson(new JsonObject { ["error"] = error });
        }

        return failure.ExitCode;
    }

    /// <summary>Why a job did not complete, on standard error.</summary>
    public void JobError(JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var where = string.IsNullOrEmpty(status.Stage) ? "" : $" at stage {status.Stage}";
        Error($"error: job {status.Id} {status.Status}{where}: {status.Error?.Message ?? "no reason given"}");
        if (status.Error is { } e && (!string.IsNullOrEmpty(e.Code) || !string.IsNullOrEmpty(e.Parameter)))
        {
            Error($"  code: {e.Code ?? "-"}" + (string.IsNullOrEmpty(e.Parameter) ? "" : $", parameter: {e.Parameter}"));
        }
    }
}
