using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Testing.Api;
using Microsoft.AspNetCore.Builder;

namespace FluxFunctions.Cli.Tests;

/// <summary>
/// One runner (real durable engine on Azurite, real Runware client, Runware emulator) shared by the CLI and page tests.
/// Each emulated inference takes <see cref="InferenceLatencyMs"/>, so a job stays running long enough to be watched,
/// canceled or timed out (never asserted as a duration).
/// </summary>
public sealed class CliRunnerFixture : RunnerFixture
{
    public const int InferenceLatencyMs = 1500;

    protected override void ConfigureEmulator(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.LatencyMs = InferenceLatencyMs;
    }

    protected override WebApplication BuildRunner(string[] args, Action<WebApplicationBuilder> configure) => Runner.RunnerApp.Build(args, configure);

    /// <summary>
    /// Makes the emulator's content check flag every result of the tasks that ask for it (<c>PUT /emulator/safety</c>)
    /// until the returned switch is disposed, which puts the emulator's own setting back (<c>DELETE</c>).
    /// </summary>
    public async Task<IAsyncDisposable> FlagEveryResultAsync()
    {
        var http = new HttpClient { BaseAddress = Emulator.BaseAddress };
        using var body = new StringContent("""{"flagEvery":1}""", System.Text.Encoding.UTF8, "application/json");
        (await http.PutAsync(new Uri("emulator/safety", UriKind.Relative), body)).EnsureSuccessStatusCode();
        return new SafetyRestore(http);
    }

    private sealed class SafetyRestore(HttpClient http) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            (await http.DeleteAsync(new Uri("emulator/safety", UriKind.Relative))).EnsureSuccessStatusCode();
            http.Dispose();
        }
    }
}

/// <summary>The CLI and page tests share one runner.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliRunnerFixture>
{
    public const string Name = "cli and page";
}
