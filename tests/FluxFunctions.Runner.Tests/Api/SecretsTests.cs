using System.Text;
using Azure.Storage.Blobs;
using FluxFunctions.Testing.Api;

namespace FluxFunctions.Runner.Tests.Api;

/// <summary>
/// The Runware key and the HTTP key never show up: not in logs, manifests, failure records, problem answers, job
/// status, or the Runware requests the emulator recorded (where the Authorization header is redacted).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SecretsTests(ApiRunnerFixture runner)
{
    [Fact]
    public async Task Jobs_SuccessFailureAndBadKeys_NeverRevealAKey()
    {
        using var client = runner.CreateClient();
        using var anonymous = runner.CreateClient(withKey: false);
        var answers = new List<string>();
        var photo = ApiImages.Png(320, 240);
        var good = await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json($$"""{"tool":"redux","image":"{{ApiImages.DataUri(photo)}}"}"""));
        var broken = await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json($$"""{"tool":"redux","image":"{{ApiImages.DataUri(photo[..(photo.Length / 2)])}}"}"""));
        answers.Add((await RunnerHttp.SendAsync(client, "POST", "/api/edits", ApiCase.Json("""{"tool":"sharpen"}"""))).Text);
        answers.Add((await RunnerHttp.SendAsync(anonymous, "GET", $"/api/edits/{ApiCases.UnknownId}")).Text);
        answers.Add((await RunnerHttp.SendAsync(anonymous, "GET", $"/api/edits/{ApiCases.UnknownId}?code={runner.ApiKey}x")).Text);
        answers.Add((await RunnerHttp.SendAsync(anonymous, "GET", $"/api/edits/{ApiCases.UnknownId}?code={runner.ApiKey}")).Text);
        answers.Add((await RunnerHttp.SendAsync(client, "GET", "/api/health")).Text);
        Assert.Equal(202, good.Status);
        Assert.Equal(202, broken.Status);
        var goodId = RunnerHttp.Json(good).GetProperty("id").GetString()!;
        var brokenId = RunnerHttp.Json(broken).GetProperty("id").GetString()!;
        var completed = await RunnerHttp.WaitForStatusAsync(client, goodId, TimeSpan.FromSeconds(90), "completed", "failed");
        var failed = await RunnerHttp.WaitForStatusAsync(client, brokenId, TimeSpan.FromSeconds(90), "completed", "failed");
        answers.Add(completed.ToString());
        answers.Add(failed.ToString());
        var records = await RecordsAsync();
        using var emulator = new HttpClient { BaseAddress = runner.Emulator.BaseAddress };
        var recorded = await emulator.GetStringAsync(new Uri("emulator/requests", UriKind.Relative));
        var logs = string.Join('\n', runner.Logs.Lines);

        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains(records, r => r.Contains(goodId, StringComparison.Ordinal));
        Assert.Contains(records, r => r.Contains(brokenId, StringComparison.Ordinal));
        Assert.Contains(brokenId, logs, StringComparison.Ordinal);
        Assert.Contains("Bearer ***", recorded, StringComparison.Ordinal);
        foreach (var secret in new[] { runner.ApiKey, runner.RunwareKey })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, recorded, StringComparison.Ordinal);
            Assert.All(answers, a => Assert.DoesNotContain(secret, a, StringComparison.Ordinal));
            Assert.All(records, r => Assert.DoesNotContain(secret, r, StringComparison.Ordinal));
        }
    }

    /// <summary>Every manifest and failure record in the runner's storage account.</summary>
    private async Task<List<string>> RecordsAsync()
    {
        var records = new List<string>();
        var service = new BlobServiceClient(runner.Azurite.ConnectionString);
        foreach (var name in new[] { "flux-outputs", "flux-failed" })
        {
            var container = service.GetBlobContainerClient(name);
            if (!await container.ExistsAsync())
            {
                continue;
            }

            await foreach (var blob in container.GetBlobsAsync())
            {
                if (blob.Name.EndsWith(".json", StringComparison.Ordinal))
                {
                    records.Add(Encoding.UTF8.GetString((await container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray()));
                }
            }
        }

        return records;
    }
}
