using System.Net.Http.Json;
using System.Text.Json;
using FluxFunctions.Testing.Api;

namespace FluxFunctions.Runner.Tests.Api;

/// <summary>Sends requests to the runner and reduces the answers to <see cref="ApiAnswer"/>.</summary>
internal static class RunnerHttp
{
    public static async Task<ApiAnswer> SendAsync(HttpClient client, string method, string path, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body };

        // Like curl for bodies over 1 MB: wait for "100 Continue", so a 413 arrives before the body is sent (without it
        // the server's early answer races the upload and the client may only see a broken pipe).
        request.Headers.ExpectContinue = body?.Headers.ContentLength > 1024 * 1024;
        using var response = await client.SendAsync(request);
        return new ApiAnswer(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.ToString(),
            response.Headers.Location?.ToString(),
            await response.Content.ReadAsByteArrayAsync());
    }

    public static Task<ApiAnswer> SendAsync(HttpClient client, ApiCase c) => SendAsync(client, c.Method, c.Path, c.Body());

    public static JsonElement Json(ApiAnswer answer) => JsonDocument.Parse(answer.Body).RootElement.Clone();

    /// <summary>Polls <c>GET /api/edits/{id}</c> until the job's status is one of <paramref name="statuses"/>.</summary>
    public static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string id, TimeSpan timeout, params string[] statuses)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var answer = await SendAsync(client, "GET", $"/api/edits/{id}");
            if (answer.Status == 200)
            {
                last = Json(answer);
                if (statuses.Contains(last.GetProperty("status").GetString()))
                {
                    return last;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Job {id} did not reach {string.Join("/", statuses)} within {timeout}; last: {last}");
    }

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);
}
