using Azure.Storage.Blobs;
using FluxFunctions.Chaos.Jobs;
using FluxFunctions.Chaos.Report;
using FluxFunctions.Chaos.Stack;

namespace FluxFunctions.Chaos.Scenarios;

/// <summary>
/// After every scenario: the Runware key and the HTTP key must appear nowhere — not in any process's log, not in any
/// manifest or failure record, not in any HTTP answer kept by the scenarios, not in the emulator's recorded requests.
/// </summary>
internal static class SecretsCheck
{
    public static async Task<ScenarioResult> RunAsync(ChaosStack stack, IReadOnlyList<string> answers)
    {
        var secrets = new[] { ("Runware key", stack.RunwareKey), ("HTTP key", stack.HttpKey) };
        var problems = new List<string>();
        var places = 0;
        void Check(string where, string text)
        {
            places++;
            foreach (var (name, value) in secrets)
            {
                if (text.Contains(value, StringComparison.Ordinal) || text.Contains(value[^16..], StringComparison.Ordinal))
                {
                    problems.Add($"the {name} appears in {where}");
                }
            }
        }

        foreach (var file in stack.LogFiles)
        {
            Check(Path.GetFileName(file), Evidence.ReadShared(file));
        }

        var records = 0;
        var service = new BlobServiceClient(stack.ConnectionString);
        await foreach (var container in service.GetBlobContainersAsync())
        {
            if (!container.Name.EndsWith("-outputs", StringComparison.Ordinal) && !container.Name.EndsWith("-failed", StringComparison.Ordinal))
            {
                continue;
            }

            var client = service.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync())
            {
                if (blob.Name.EndsWith(".json", StringComparison.Ordinal))
                {
                    records++;
                    Check($"{container.Name}/{blob.Name}", (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString());
                }
            }
        }

        foreach (var answer in answers)
        {
            Check("an HTTP answer", answer);
        }

        lock (stack.RecordedRequests)
        {
            foreach (var text in stack.RecordedRequests)
            {
                Check("the emulator's recorded requests", text);
            }
        }

        var figures = $"2 keys searched in {stack.LogFiles.Count()} logs, {records} manifests/failure records, {answers.Count} HTTP answers, {stack.RecordedRequests.Count} recorded-request dumps: {problems.Count} hits";
        return new ScenarioResult("secrets", 0, 0, 0, 0, 0, 0, figures, 0, "-", problems.Distinct().ToList());
    }
}
