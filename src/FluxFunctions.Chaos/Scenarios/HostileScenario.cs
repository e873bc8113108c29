using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FluxFunctions.Chaos.Jobs;
using FluxFunctions.Chaos.Report;
using FluxFunctions.Chaos.Stack;
using SkiaSharp;
using static FluxFunctions.Chaos.Scenarios.ScenarioKit;

namespace FluxFunctions.Chaos.Scenarios;

/// <summary>
/// A hostile corpus built here, sent over HTTP and dropped as blobs: each item gets a specific error (a 400 problem
/// naming the field, or a failure record naming the reason), never a 5xx, never a crash, and the input blob is untouched.
/// Also sends requests with wrong keys; every answer is kept for the secrets check.
/// </summary>
internal static class HostileScenario
{
    public static async Task<ScenarioResult> RunAsync(ChaosStack stack, List<string> answers, CancellationToken ct)
    {
        var scope = new Scope(stack, "hostile");
        await scope.CreateAsync();
        using var emulator = await stack.StartEmulatorAsync("hostile", EmulatorSettings(200));
        var settings = scope.RunnerSettings(emulator, new Dictionary<string, string> { ["Flux__AllowPrivateNetworkUrls"] = "false" });
        using var runner = await RunnerHandle.StartAsync(stack, "hostile", settings);
        var problems = new List<string>();
        var png = ChaosImages.Photo(320, 320, 3, SKEncodedImageFormat.Png);
        var jpg = ChaosImages.Photo(320, 320, 4);
        var webp = ChaosImages.Photo(320, 320, 5, SKEncodedImageFormat.Webp);
        static string Data(byte[] b) => "data:image/png;base64," + Convert.ToBase64String(b);
        var good = Data(png);

        // 1. Over HTTP: every item is a 400 problem that names a field (or the body), never a 5xx.
        var http = new (string Name, string Body, string? Field)[]
        {
            ("truncated PNG", $$"""{"tool":"redux","image":"{{Data(ChaosImages.Truncated(png))}}"}""", "image"),
            ("truncated JPEG", $$"""{"tool":"redux","image":"{{Data(ChaosImages.Truncated(jpg))}}"}""", "image"),
            ("truncated WebP", $$"""{"tool":"redux","image":"{{Data(ChaosImages.Truncated(webp))}}"}""", "image"),
            ("decompression bomb PNG", $$"""{"tool":"redux","image":"{{Data(ChaosImages.PngBomb())}}"}""", "image"),
            ("zip renamed .png", $$"""{"tool":"redux","image":"{{Data(ChaosImages.Zip())}}"}""", "image"),
            ("0-byte image", """{"tool":"redux","image":"data:image/png;base64,"}""", "image"),
            ("20000-character prompt", $$"""{"tool":"canny","prompt":"{{new string('x', 20_000)}}","image":"{{good}}"}""", "prompt"),
            ("control characters in the prompt only", """{"tool":"canny","prompt":"\u0000\u0007\u001b","image":"x"}""", null),
            ("blob: with ..", """{"tool":"redux","image":"blob:hostile-inputs/redux/../../etc/passwd"}""", "image"),
            ("blob: absolute path", """{"tool":"redux","image":"blob:/etc/passwd"}""", "image"),
            ("blob: with control characters", """{"tool":"redux","image":"blob:hostile-inputs/redux/a\u0000b.png"}""", "image"),
            ("wrong types", $$"""{"tool":5,"steps":"many","seed":[1],"image":"{{good}}"}""", null),
            ("deep nesting", "{\"tool\":" + new string('[', 5000) + new string(']', 5000) + "}", null),
            ("SSRF metadata address", """{"tool":"redux","image":"https://169.254.169.254/latest/meta-data/"}""", "image"),
            ("SSRF loopback (the emulator)", $$"""{"tool":"redux","image":"http://{{emulator.ApiUrl.Authority}}/emulator/requests"}""", "image"),
            ("SSRF file URL", """{"tool":"redux","image":"file:///etc/passwd"}""", "image"),
            ("callback to a private address", $$"""{"tool":"redux","image":"{{good}}","callbackUrl":"https://10.0.0.1/hook"}""", "callbackUrl"),
        };
        var httpOk = 0;
        var fiveHundreds = 0;
        foreach (var (name, body, field) in http)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await runner.Http.PostAsync(new Uri("api/edits", UriKind.Relative), content, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            fiveHundreds += (int)response.StatusCode >= 500 ? 1 : 0;
            answers.Add(text);
            var ok = (int)response.StatusCode == 400 && response.Content.Headers.ContentType?.MediaType == "application/problem+json" && NamesField(text, field);
            if ((int)response.StatusCode == 202 && name.StartsWith("truncated", StringComparison.Ordinal))
            {
                // The header is fine, so the API accepts it; decoding finds the damage: the job fails with corruptImage.
                var id = (string)JsonNode.Parse(text)!["id"]!;
                var until = DateTime.UtcNow.AddSeconds(60);
                JsonNode? status = null;
                while (DateTime.UtcNow < until && (string?)status?["status"] is not ("failed" or "completed"))
                {
                    await Task.Delay(300, ct);
                    status = JsonNode.Parse(await runner.Http.GetStringAsync(new Uri($"api/edits/{id}", UriKind.Relative), ct));
                }

                answers.Add(status?.ToJsonString() ?? "");
                ok = (string?)status?["status"] == "failed" && (string?)status?["error"]?["code"] == "corruptImage";
                text = status?.ToJsonString() ?? text;
            }

            httpOk += ok ? 1 : 0;
            if (!ok)
            {
                problems.Add($"HTTP '{name}': {(int)response.StatusCode} {Clip(text)}");
            }
        }

        // An options field over the limit (multipart).
        using (var form = new MultipartFormDataContent())
        {
            var image = new ByteArrayContent(png);
            image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(image, "image", "p.png");
            form.Add(new StringContent($$"""{"tool":"redux","prompt":"{{new string('y', 200_000)}}"}""", Encoding.UTF8), "options");
            using var response = await runner.Http.PostAsync(new Uri("api/edits", UriKind.Relative), form, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            answers.Add(text);
            var ok = (int)response.StatusCode is 400 or 413;
            httpOk += ok ? 1 : 0;
            if (!ok)
            {
                problems.Add($"HTTP 'options over the limit': {(int)response.StatusCode} {Clip(text)}");
            }
        }

        // Wrong keys: 401, and the answers are kept for the secrets check.
        foreach (var key in new[] { "", "wrong", stack.HttpKey + "x", stack.HttpKey[..^1] })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/edits/a0123456789abcdef0123456789abcde");
            request.Headers.TryAddWithoutValidation("x-functions-key", key);
            using var bare = new HttpClient { BaseAddress = runner.Http.BaseAddress };
            using var response = await bare.SendAsync(request, ct);
            answers.Add(await response.Content.ReadAsStringAsync(ct));
            if ((int)response.StatusCode != 401)
            {
                problems.Add($"a wrong key got {(int)response.StatusCode}");
            }
        }

        // The right key in the query string (the request log must not show it).
        using (var response = await new HttpClient().GetAsync(new Uri(runner.Http.BaseAddress!, $"api/edits/a0123456789abcdef0123456789abcde?code={stack.HttpKey}"), ct))
        {
            answers.Add(await response.Content.ReadAsStringAsync(ct));
        }

        // 2. As blob drops: a failure record naming the reason (or a manifest for a legitimate odd name), input untouched.
        var deep = "{\"prompt\":\"deep\",\"context\":" + new string('[', 3000) + new string(']', 3000) + "}";
        var drops = new (string Name, byte[] Bytes, string? Options, string[] Codes)[]
        {
            ("redux/hostile/truncated.png", ChaosImages.Truncated(png), null, ["corruptImage", "notAnImage"]),
            ("redux/hostile/truncated.jpg", ChaosImages.Truncated(jpg), null, ["corruptImage", "notAnImage"]),
            ("redux/hostile/truncated.webp", ChaosImages.Truncated(webp), null, ["corruptImage", "notAnImage"]),
            ("redux/hostile/bomb.png", ChaosImages.PngBomb(), null, ["imageTooLarge"]),
            ("redux/hostile/zip.png", ChaosImages.Zip(), null, ["notAnImage"]),
            ("redux/hostile/empty.png", [], null, ["emptyImage"]),
            ("canny/hostile/long-prompt.png", png, $$"""{"prompt":"{{new string('z', 20_000)}}"}""", ["promptTooLong", "invalidOptionsFile"]),
            ("canny/hostile/wrong-types.png", png, """{"prompt":7,"steps":"many"}""", ["invalidType", "invalidOptionsFile"]),
            ("canny/hostile/deep.png", png, deep, ["invalidJson", "invalidOptionsFile"]),
            ("canny/hostile/huge-options.png", png, $$"""{"prompt":"{{new string('w', 100_000)}}"}""", ["payloadTooLarge", "invalidOptionsFile", "promptTooLong"]),
            ("canny/hostile/ssrf.png", png, """{"prompt":"ok","callbackUrl":"https://169.254.169.254/x"}""", ["unsafeUrl"]),
            // No control characters in dropped blob names: Azurite then lists the container as invalid XML and the runner's
            // watcher cannot list anything (see docs/reliability.md). They are covered in blob: references and prompts.
            ("redux/hostile/ünïcødé 名前 🙂.png", png, """{"prompt":"Ünïcødé 名前 🙂 prompt"}""", ["completed"]),
            ("canny/hostile/prompt-controls.png", png, """{"prompt":"a \u0000 b \u0007 c \u001b[31m d"}""", ["invalidValue"]),
        };
        var jobs = new List<DroppedJob>();
        var before = new Dictionary<string, (string ETag, byte[] Bytes)>();
        foreach (var (name, bytes, options, _) in drops)
        {
            try
            {
                var job = await scope.DropAsync(name, bytes, name, options);
                jobs.Add(job);
                var props = await scope.Inputs.GetBlobClient(name).GetPropertiesAsync(cancellationToken: ct);
                before[name] = (props.Value.ETag.ToString(), bytes);
            }
            catch (Azure.RequestFailedException ex)
            {
                // Storage itself refuses some names: nothing reaches the pipeline.
                Console.WriteLine($"    storage refused the name {Printable(name)}: {ex.ErrorCode}");
            }
        }

        var outcomes = await scope.WaitForOutcomesAsync(jobs, DateTime.UtcNow.AddMinutes(3));
        var blobOk = 0;
        foreach (var job in jobs)
        {
            var expected = drops.First(d => d.Name == job.Blob).Codes;
            var failure = outcomes.Failures.FirstOrDefault(f => f.JobId == job.Id);
            var code = failure is not null ? (string?)failure.Json["error"]?["code"] : outcomes.Manifests.Any(m => m.JobId == job.Id) ? "completed" : "none";
            var blob = scope.Inputs.GetBlobClient(job.Blob);
            var now = await blob.DownloadContentAsync(ct);
            var untouched = now.Value.Details.ETag.ToString() == before[job.Blob].ETag && now.Value.Content.ToArray().AsSpan().SequenceEqual(before[job.Blob].Bytes);
            if (failure is not null)
            {
                answers.Add(failure.Json.ToJsonString());
            }

            if (expected.Contains(code) && untouched)
            {
                blobOk++;
            }
            else
            {
                problems.Add($"drop {Printable(job.Blob)}: {code} (expected {string.Join("|", expected)}){(untouched ? "" : ", INPUT CHANGED")} {Clip(failure?.Json["error"]?.ToJsonString() ?? "")}");
            }
        }

        var alive = !runner.HasExited();
        if (!alive)
        {
            problems.Add("the runner crashed");
        }

        var tasks = Evidence.Tasks(await emulator.RequestsAsync());
        var figures = $"HTTP {httpOk}/{http.Length + 1} specific errors (400 naming the field, or 202 then failed corruptImage), {fiveHundreds} × 5xx; blob drops {blobOk}/{jobs.Count} specific outcome with input untouched; runner alive {(alive ? "yes" : "NO")}";
        return Account("hostile corpus", jobs, outcomes, tasks, figures, runner.PeakRssMb, "-", problems);
    }

    private static bool NamesField(string problem, string? field)
    {
        try
        {
            var errors = JsonNode.Parse(problem)?["errors"] as JsonArray;
            return errors is { Count: > 0 } && (field is null || errors.Any(e => (string?)e?["parameter"] == field));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string Printable(string s) => string.Concat(s.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    private static string Clip(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
