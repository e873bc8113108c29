using System.Text.Json;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// The fields of the app's <c>worker.config.json</c> the host reads to start the worker and to decide who indexes the
/// functions (<c>description.workerIndexing</c>: "true" means the host asks the worker with a FunctionsMetadataRequest).
/// </summary>
public sealed record WorkerConfig(string Language, string DefaultExecutablePath, string DefaultWorkerPath, bool WorkerIndexing)
{
    public static WorkerConfig Read(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "worker.config.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No worker.config.json in {appDirectory}: build src/FluxFunctions first.", path);
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var d = doc.RootElement.GetProperty("description");
        return new WorkerConfig(
            d.GetProperty("language").GetString() ?? "",
            d.GetProperty("defaultExecutablePath").GetString() ?? "",
            d.GetProperty("defaultWorkerPath").GetString() ?? "",
            d.TryGetProperty("workerIndexing", out var indexing) && string.Equals(indexing.GetString(), "true", StringComparison.OrdinalIgnoreCase));
    }
}
