using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FluxFunctions.Processes;

namespace FluxFunctions.Demo;

/// <summary>
/// Runs the main job on the embedded defaults: Azurite + the Runware emulator + the self-hosted runner on free loopback
/// ports, one sample job per tool dropped into <c>flux-inputs</c>, results fetched to <c>.artifacts/demo/outputs</c>.
/// Exit code 0 only when every sample job completed (one per tool).
/// </summary>
internal static class DemoRunner
{
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private sealed record Sample(string Tool, string Name, string Extension, byte[] Image, byte[]? Mask, string? Options);

    public static async Task<int> RunAsync(string[] args)
    {
        var keepRunning = args.Contains("--keep-running");
        var timeout = TimeSpan.FromSeconds(args.SkipWhile(a => a != "--timeout").Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(240));
        var root = FindRoot();
        var configuration = Directory.Exists(Path.Combine(root, "src", "FluxFunctions.Runner", "bin", "Release")) && !Directory.Exists(Path.Combine(root, "src", "FluxFunctions.Runner", "bin", "Debug")) ? "Release" : "Debug";
        var work = Path.Combine(root, ".artifacts", "demo");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        Directory.CreateDirectory(work);
        var (blobPort, queuePort, tablePort, emulatorPort, runnerPort) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
        var webhookSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var connection =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
        var apiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var children = new List<ChildProcess>();
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        // `kill` (SIGTERM) stops the demo the same way as Ctrl+C: everything it started is stopped too.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        try
        {
            Step($"starting Azurite on 127.0.0.1:{blobPort}-{tablePort}");
            var azurite = ChildProcess.Start(
                "Azurite",
                Path.Combine(root, "scripts", "node_modules", ".bin", "azurite"),
                ["--silent", "--disableTelemetry", "--skipApiVersionCheck", "--disableProductStyleUrl", "--location", Path.Combine(work, "azurite"),
                 "--blobHost", "127.0.0.1", "--blobPort", LoopbackPorts.Str(blobPort), "--queueHost", "127.0.0.1", "--queuePort", LoopbackPorts.Str(queuePort),
                 "--tableHost", "127.0.0.1", "--tablePort", LoopbackPorts.Str(tablePort)],
                new Dictionary<string, string>(),
                Path.Combine(work, "logs", "azurite.log"));
            children.Add(azurite);
            await azurite.WaitForPortAsync(blobPort, TimeSpan.FromSeconds(30));
            await azurite.WaitForPortAsync(tablePort, TimeSpan.FromSeconds(30));

            Step($"starting the Runware emulator on http://127.0.0.1:{emulatorPort}/v1");
            var emulator = ChildProcess.Start(
                "Runware emulator",
                "dotnet",
                [Path.Combine(root, "src", "FluxFunctions.Emulator", "bin", configuration, "net10.0", "FluxFunctions.Emulator.dll"), "--urls", $"http://127.0.0.1:{emulatorPort}"],
                new Dictionary<string, string> { ["Emulator__LatencyMs"] = "1500" },
                Path.Combine(work, "logs", "emulator.log"));
            children.Add(emulator);
            await emulator.WaitForPortAsync(emulatorPort, TimeSpan.FromSeconds(60));

            Step($"starting the self-hosted runner on http://127.0.0.1:{runnerPort}");
            var runner = ChildProcess.Start(
                "runner",
                "dotnet",
                [Path.Combine(root, "src", "FluxFunctions.Runner", "bin", configuration, "net10.0", "FluxFunctions.Runner.dll"), "--urls", $"http://127.0.0.1:{runnerPort}"],
                new Dictionary<string, string>
                {
                    ["AzureWebJobsStorage"] = connection,
                    ["Runware__BaseUrl"] = $"http://127.0.0.1:{emulatorPort}/v1",
                    ["Flux__ApiKeys__0"] = apiKey,
                    ["Flux__WatchIntervalMs"] = "500",
                    ["Flux__AllowPrivateNetworkUrls"] = "true",
                    ["Flux__WebhookSecret"] = webhookSecret,
                },
                Path.Combine(work, "logs", "runner.log"));
            children.Add(runner);
            await runner.WaitForPortAsync(runnerPort, TimeSpan.FromSeconds(60));

            // A user's endpoint for the callbacks every sample job asks for, progress events included (checks their signatures).
            using var callbacks = new CallbackReceiver(LoopbackPorts.Free(), webhookSecret);
            Step($"receiving completion callbacks at {callbacks.Url}");

            var service = new BlobServiceClient(connection);
            var inputs = service.GetBlobContainerClient("flux-inputs");
            await inputs.CreateIfNotExistsAsync(cancellationToken: stop.Token);
            var samples = Samples();
            var jobs = new List<(Sample Sample, string JobId, string Base)>();
            var inputDir = Path.Combine(work, "inputs");
            Directory.CreateDirectory(inputDir);
            foreach (var s in samples)
            {
                var baseName = $"{s.Tool}/samples/{s.Name}";
                var options = JsonNode.Parse(s.Options ?? "{}")!.AsObject();
                options["callbackUrl"] = callbacks.Url;
                options["callbackEvents"] = new JsonArray("started", "inferring", "completed", "failed", "canceled");
                await inputs.GetBlobClient(baseName + ".json").UploadAsync(BinaryData.FromString(options.ToJsonString()), overwrite: true, stop.Token);

                if (s.Mask is not null)
                {
                    await inputs.GetBlobClient(baseName + ".mask.png").UploadAsync(BinaryData.FromBytes(s.Mask), overwrite: true, stop.Token);
                    await File.WriteAllBytesAsync(Path.Combine(inputDir, $"{s.Tool}-{s.Name}.mask.png"), s.Mask, stop.Token);
                }

                var uploaded = await inputs.GetBlobClient(baseName + s.Extension).UploadAsync(BinaryData.FromBytes(s.Image), overwrite: true, stop.Token);
                await File.WriteAllBytesAsync(Path.Combine(inputDir, $"{s.Tool}-{s.Name}{s.Extension}"), s.Image, stop.Token);
                jobs.Add((s, JobId("flux-inputs", baseName + s.Extension, uploaded.Value.ETag.ToString()), baseName));
                Step($"dropped flux-inputs/{baseName}{s.Extension}{(s.Mask is null ? "" : " + mask")} + options");
            }

            Step($"waiting for the {samples.Count} jobs (Runware emulated inference: 1.5 s each)");
            var outputs = service.GetBlobContainerClient("flux-outputs");
            var failed = service.GetBlobContainerClient("flux-failed");
            var results = new Dictionary<string, (string Status, string Where, string? Local)>();
            var sw = Stopwatch.StartNew();
            while (results.Count < jobs.Count && sw.Elapsed < timeout && !stop.IsCancellationRequested)
            {
                foreach (var (sample, jobId, baseName) in jobs.Where(j => !results.ContainsKey(j.Sample.Tool)))
                {
                    var manifest = outputs.GetBlobClient($"{baseName}/{jobId}/manifest.json");
                    if (await Exists(manifest, stop.Token))
                    {
                        var json = JsonNode.Parse((await manifest.DownloadContentAsync(stop.Token)).Value.Content.ToString())!;
                        var first = (string)json["images"]![0]!["blob"]!;
                        var blobName = first["flux-outputs/".Length..];
                        var local = Path.Combine(work, "outputs", $"{sample.Tool}-{sample.Name}{Path.GetExtension(blobName)}");
                        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                        await outputs.GetBlobClient(blobName).DownloadToAsync(local, stop.Token);
                        await File.WriteAllTextAsync(Path.ChangeExtension(local, ".manifest.json"), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), stop.Token);
                        results[sample.Tool] = ("completed", first, local);
                        Step($"{sample.Tool}: completed in {sw.Elapsed.TotalSeconds:0.0} s");
                        continue;
                    }

                    var failure = failed.GetBlobClient($"{baseName}/{jobId}.json");
                    if (await Exists(failure, stop.Token))
                    {
                        var json = JsonNode.Parse((await failure.DownloadContentAsync(stop.Token)).Value.Content.ToString())!;
                        results[sample.Tool] = ("FAILED", $"flux-failed/{baseName}/{jobId}.json: {json["error"]?["code"]} {json["error"]?["message"]}", null);
                        Step($"{sample.Tool}: FAILED");
                    }
                }

                await Task.Delay(500, stop.Token).ConfigureAwait(false);
            }

            // Each job's callback follows its manifest within moments.
            var waited = Stopwatch.StartNew();
            while (callbacks.Authentic < results.Count && waited.Elapsed < TimeSpan.FromSeconds(20) && !stop.IsCancellationRequested)
            {
                await Task.Delay(250, stop.Token).ConfigureAwait(false);
            }

            Console.WriteLine();
            Console.WriteLine("Results (Azurite blob endpoint http://127.0.0.1:" + blobPort + "/devstoreaccount1):");
            foreach (var (sample, _, baseName) in jobs)
            {
                var (status, where, local) = results.TryGetValue(sample.Tool, out var r) ? r : ("TIMED OUT", $"no manifest under flux-outputs/{baseName}/ after {timeout.TotalSeconds:0} s", null);
                Console.WriteLine($"  {sample.Tool,-7} {status,-9} {where}");
                if (local is not null)
                {
                    Console.WriteLine($"  {"",-6} {"",-9} local copy: {Path.GetRelativePath(root, local)}");
                }
            }

            Console.WriteLine();
            Console.WriteLine($"Inputs: {Path.GetRelativePath(root, inputDir)}   Logs: {Path.GetRelativePath(root, Path.Combine(work, "logs"))}");
            Console.WriteLine($"Each job folder in flux-outputs also holds manifest.json (job id, model, task UUIDs, parameters, seeds, cost, timings).");
            Console.WriteLine($"Completion callbacks: {callbacks.Authentic} of {jobs.Count} jobs delivered with a valid x-flux-signature ({callbacks.Received} requests, {callbacks.Forged} with a bad signature).");
            Console.WriteLine($"Progress callbacks: started {callbacks.AuthenticOf("started")}, inferring {callbacks.AuthenticOf("inferring")} of {jobs.Count} jobs; {callbacks.OutOfOrder} after their job's completion callback.");
            var ok = results.Count == jobs.Count && results.Values.All(r => r.Status == "completed") && callbacks.Authentic == jobs.Count && callbacks.Forged == 0 && callbacks.OutOfOrder == 0;
            if (keepRunning && !stop.IsCancellationRequested)
            {
                Console.WriteLine();
                Console.WriteLine($"Still running: runner http://127.0.0.1:{runnerPort}/api (key: {apiKey}), emulator http://127.0.0.1:{emulatorPort}/v1. Ctrl+C stops everything.");
                Console.WriteLine($"Callbacks are signed with Flux__WebhookSecret={webhookSecret}; add \"callbackUrl\" to a request to receive one (loopback allowed here).");
                Console.WriteLine($"Web page: http://127.0.0.1:{runnerPort}/ (enter the key above). CLI: export FLUX_URL=http://127.0.0.1:{runnerPort} FLUX_KEY={apiKey}; dotnet run --project src/FluxFunctions.Cli -- edit redux <image>");
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
            else
            {
                Console.WriteLine($"The runner's HTTP API key for this run was {apiKey} (use --keep-running to try the API).");
            }

            Console.WriteLine(ok ? $"Demo finished: all {samples.Count} tools completed." : "Demo finished with problems; see the logs above.");
            return ok ? 0 : 1;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or Azure.RequestFailedException or IOException or OperationCanceledException)
        {
            Console.Error.WriteLine(stop.IsCancellationRequested ? "demo: stopped (Ctrl+C or SIGTERM)" : $"demo: {ex.Message}");
            Console.Error.WriteLine($"logs: {Path.Combine(work, "logs")}");
            return 1;
        }
        finally
        {
            Step("stopping everything the demo started");
            for (var i = children.Count - 1; i >= 0; i--)
            {
                children[i].Dispose();
            }
        }
    }

    private static List<Sample> Samples() =>
    [
        new("fill", "cottage", ".jpg", SampleScenes.Landscape(1024, 768), SampleScenes.HouseMask(1024, 768),
            """{"prompt": "a small stone cottage with a red door and ivy on the walls", "seed": 42}"""),
        new("canny", "village", ".jpg", SampleScenes.Landscape(1152, 768), null,
            """{"prompt": "a watercolour painting of a village in the hills at sunset", "preprocess": {"lowThreshold": 80, "highThreshold": 160}}"""),
        new("depth", "valley", ".jpg", SampleScenes.Landscape(1024, 1024), null,
            """{"prompt": "a snowy alpine valley at dawn, cinematic light"}"""),
        new("redux", "still-life", ".png", SampleScenes.StillLife(1024, 1024), null, null),
        new("kontext", "stormy", ".jpg", SampleScenes.Landscape(1024, 768), null,
            """{"prompt": "make the sky stormy, with dark clouds over the hills", "seed": 7}"""),
        new("erase", "no-cottage", ".jpg", SampleScenes.Landscape(1024, 768), SampleScenes.HouseMask(1024, 768), null),
    ];

    private static async Task<bool> Exists(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return await blob.ExistsAsync(cancellationToken);
        }
        catch (Azure.RequestFailedException)
        {
            return false;
        }
    }

    // Mirrors FluxFunctions.Core.Storage.JobIds.ForBlob (the demo does not reference Core on purpose: it is a user of the pipeline).
    private static string JobId(string container, string name, string etag) =>
        "b" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{container}/{name}\n{etag.Trim('"')}")))[..31];

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FluxFunctions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    private static void Step(string message) => Console.WriteLine($"==> {message}");
}
