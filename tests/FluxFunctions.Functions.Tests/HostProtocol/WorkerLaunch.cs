using System.Globalization;
using FluxFunctions.Testing;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// How a Functions host starts a <c>dotnet-isolated</c> worker: <c>defaultExecutablePath</c> and <c>defaultWorkerPath</c>
/// of the app's <c>worker.config.json</c>, the host's connection arguments (the legacy names and the
/// <c>functions-</c> prefixed copies), the app directory as working directory, and the app settings plus
/// <c>FUNCTIONS_WORKER_DIRECTORY</c> / <c>FUNCTIONS_APPLICATION_DIRECTORY</c> as environment variables.
/// </summary>
public sealed record WorkerLaunch(string AppDirectory, IReadOnlyDictionary<string, string> AppSettings)
{
    /// <summary>The gRPC message size limit the host gives its workers.</summary>
    public const int MaxMessageLength = int.MaxValue;

    /// <summary>The built Functions app next to this test build (same configuration).</summary>
    public static string BuiltAppDirectory => Path.Combine(RepoPaths.Root, "src", "FluxFunctions", "bin", BuildConfiguration, "net10.0");

    private static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public string WorkerId { get; } = Guid.NewGuid().ToString();

    public string RequestId { get; } = Guid.NewGuid().ToString();

    /// <summary>The worker's command line after the executable, for a host listening at <paramref name="hostUri"/>.</summary>
    public IReadOnlyList<string> Arguments(WorkerConfig config, Uri hostUri)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(hostUri);
        var length = MaxMessageLength.ToString(CultureInfo.InvariantCulture);
        return
        [
            Path.Combine(AppDirectory, config.DefaultWorkerPath),
            "--host", hostUri.Host,
            "--port", hostUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", WorkerId,
            "--requestId", RequestId,
            "--grpcMaxMessageLength", length,
            "--functions-uri", hostUri.AbsoluteUri,
            "--functions-worker-id", WorkerId,
            "--functions-request-id", RequestId,
            "--functions-grpc-max-message-length", length,
        ];
    }

    /// <summary>The worker's environment on top of the test process's own (which a host's child process inherits too).</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string>(AppSettings, StringComparer.Ordinal)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["FUNCTIONS_WORKER_DIRECTORY"] = AppDirectory,
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = AppDirectory,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        return env;
    }
}
