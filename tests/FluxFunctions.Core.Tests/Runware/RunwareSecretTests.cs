using FluxFunctions.Runware;

namespace FluxFunctions.Core.Tests.Runware;

/// <summary>The API key never appears in a log line, an exception message or an exception's ToString.</summary>
public sealed class RunwareSecretTests
{
    [Fact]
    public async Task ApiKey_AcrossSuccessesAndFailures_NeverInLogsOrExceptions()
    {
        await using var h = await RunwareHarness.StartAsync(o => { o.MaxRetries = 1; o.BreakerMinimumThroughput = 4; });
        var key = RunwareHarness.ApiKey;
        var exceptions = new List<Exception>();
        var scenario = "";
        h.Server.Handler = r => scenario switch
        {
            "ok" => StubReply.Data(Entries.Upload(r.TaskUuid)),
            // A server that (wrongly) echoes what it got: the key must still not leak through us.
            "401" => StubReply.Errors(401, Entries.Error("invalidApiKey", $"Invalid API key {key}.")),
            "400" => StubReply.Errors(400, Entries.Error("invalidParameter", $"Bearer {key} is not an image.", $"image{key}")),
            "500" => StubReply.Errors(500, Entries.Error("internalServerError", $"crash near {key}")),
            _ => StubReply.Json(200, "{\"data\":[{\"taskType\":\"imag"),
        };

        foreach (var s in new[] { "ok", "401", "400", "500", "malformed", "500", "open" })
        {
            scenario = s;
            try
            {
                await h.Client.UploadImageAsync("aGVsbG8=");
            }
            catch (Exception ex)
            {
                exceptions.Add(ex);
            }
        }

        Assert.All(h.Server.Requests, r => Assert.Equal($"Bearer {key}", r.Header("Authorization"))); // the key was in play
        Assert.Contains(exceptions, e => e is RunwareTransientException { Code: RunwareErrorCodes.Unavailable });
        Assert.Contains(exceptions, e => e is RunwareRejectedException { StatusCode: 401 });
        Assert.Contains(exceptions, e => e is RunwareRejectedException { StatusCode: 400 });
        Assert.All(exceptions, e => Assert.DoesNotContain(key, e.ToString(), StringComparison.Ordinal));
        Assert.All(exceptions.OfType<RunwareRejectedException>().SelectMany(e => e.Errors), e => Assert.DoesNotContain(key, e.ToString(), StringComparison.Ordinal));

        var logs = h.Logs.Logs;
        Assert.Contains(logs, l => l.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal) && l.Message.Contains("Authorization", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Category == typeof(RunwareClient).FullName);
        Assert.All(logs, l => Assert.DoesNotContain(key, l.ToString(), StringComparison.Ordinal));
    }
}
