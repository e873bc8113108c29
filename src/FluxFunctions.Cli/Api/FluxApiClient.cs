using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FluxFunctions.Cli.Api;

/// <summary>
/// The HTTP API of SPEC §3 as the command line uses it: submit an edit (multipart), read a job, cancel it, download a
/// result. The key travels in <c>x-functions-key</c>, and only to the API's own origin. Failures become
/// <see cref="FluxApiException"/> with the problem body the API sent.
/// </summary>
internal sealed class FluxApiClient : IDisposable
{
    /// <summary>The header the key is sent in (as for a Function App's function keys).</summary>
    public const string KeyHeader = "x-functions-key";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient http;

    public FluxApiClient(ApiConnection connection, HttpMessageHandler? handler = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = timeout ?? TimeSpan.FromSeconds(100);
        var version = typeof(FluxApiClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0";
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("flux-cli", version));
    }

    public ApiConnection Connection { get; }

    /// <summary><c>POST /api/edits</c> as multipart/form-data: <c>image</c> and <c>mask</c> files, <c>options</c> JSON.</summary>
    public async Task<AcceptedJob> SubmitAsync(EditUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        using var form = new MultipartFormDataContent();
        var options = new StringContent(upload.Options.ToJsonString(), Encoding.UTF8, "application/json");
        form.Add(options, "options");
        var streams = new List<Stream>();
        try
        {
            AddFile(form, "image", upload.ImagePath, streams);
            AddFile(form, "mask", upload.MaskPath, streams);
            AddFile(form, upload.ReferenceField, upload.ReferencePath, streams);
            using var request = new HttpRequestMessage(HttpMethod.Post, Connection.Route("api/edits")) { Content = form };
            var body = await SendForJsonAsync(request, cancellationToken).ConfigureAwait(false);
            var id = body["id"]?.GetValue<string>();
            if (string.IsNullOrEmpty(id))
            {
                throw new FluxApiException(ApiFailure.Server, "The API accepted the edit but its answer has no job id.");
            }

            return new AcceptedJob(id, body["statusUrl"]?.GetValue<string>());
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary><c>GET /api/edits/{id}</c>.</summary>
    public async Task<JobSnapshot> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Connection.Route("api/edits/" + Uri.EscapeDataString(id)));
        return ToSnapshot(await SendForJsonAsync(request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>GET /api/batches/{tool}/{path}</c>: the counts of a folder of blob drops (<paramref name="folder"/> is <c>tool/path/</c>).</summary>
    public async Task<BatchSnapshot> GetBatchAsync(string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var route = "api/batches/" + string.Join('/', folder.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
        using var request = new HttpRequestMessage(HttpMethod.Get, Connection.Route(route));
        var body = await SendForJsonAsync(request, cancellationToken).ConfigureAwait(false);
        var counts = body.Deserialize<BatchCounts>(Json);
        if (counts is null || string.IsNullOrEmpty(counts.Prefix))
        {
            throw new FluxApiException(ApiFailure.Server, "The API's answer is not a batch status (no prefix).");
        }

        return new BatchSnapshot(counts, body);
    }

    /// <summary>
    /// <c>DELETE /api/edits/{id}</c>: the job's status after the cancellation, and whether it has taken effect (200) or
    /// is still under way (202).
    /// </summary>
    public async Task<(JobSnapshot Snapshot, bool Done)> CancelAsync(string id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Connection.Route("api/edits/" + Uri.EscapeDataString(id)));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await ReadJsonObjectAsync(response, cancellationToken).ConfigureAwait(false);
        return (ToSnapshot(body), response.StatusCode == HttpStatusCode.OK);
    }

    /// <summary>Downloads a result (<see cref="JobOutput.Url"/>) to <paramref name="path"/>, through a temporary file.</summary>
    public async Task<long> DownloadAsync(string url, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Connection.Resolve(url));
        using var response = await SendAsync(request, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".part";
        try
        {
            long length;
            var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                length = file.Length;
            }

            File.Move(temp, path, overwrite: true);
            return length;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public void Dispose() => http.Dispose();

    private static void AddFile(MultipartFormDataContent form, string name, string? path, List<Stream> streams)
    {
        if (path is null)
        {
            return;
        }

        var stream = File.OpenRead(path);
        streams.Add(stream);
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.ForImage(path));
        form.Add(content, name, Path.GetFileName(path));
    }

    private static JobSnapshot ToSnapshot(JsonObject body)
    {
        var status = body.Deserialize<JobStatus>(Json);
        if (status is null || string.IsNullOrEmpty(status.Id) || string.IsNullOrEmpty(status.Status))
        {
            throw new FluxApiException(ApiFailure.Server, "The API's answer is not a job status (no id or status).");
        }

        return new JobSnapshot(status, body);
    }

    private async Task<JsonObject> SendForJsonAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadJsonObjectAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadJsonObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw new FluxApiException(ApiFailure.Server, $"{Describe(response)} answered {(int)response.StatusCode} with JSON that is not an object.", (int)response.StatusCode);
        }
        catch (JsonException)
        {
            throw new FluxApiException(ApiFailure.Server, $"{Describe(response)} answered {(int)response.StatusCode} without JSON: is --url the FluxFunctions API?", (int)response.StatusCode);
        }
    }

    /// <summary>Sends with the key (same origin only); a non-success answer becomes a <see cref="FluxApiException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        if (Connection.Key is { } key && request.RequestUri is { } uri && Connection.IsSameOrigin(uri))
        {
            request.Headers.TryAddWithoutValidation(KeyHeader, key);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new FluxApiException(ApiFailure.Unreachable, $"Cannot reach the API at {Connection.Root}: {ex.Message}", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FluxApiException(ApiFailure.Unreachable, $"The API at {Connection.Root} did not answer within {http.Timeout.TotalSeconds:0} s.", inner: ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<FluxApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var media = response.Content.Headers.ContentType?.MediaType ?? "";
        ApiProblem? problem = null;
        if (media.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                problem = JsonSerializer.Deserialize<ApiProblem>(text, Json);
            }
            catch (JsonException)
            {
                problem = null;
            }
        }

        var isProblem = problem is not null && media.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase);
        var what = problem?.Detail ?? problem?.Title ?? response.ReasonPhrase ?? "no details";
        return status switch
        {
            401 or 403 => new FluxApiException(ApiFailure.Unauthorized, $"The API refused the key ({status}): pass the right one with --key or FLUX_KEY.", status, problem),
            404 when isProblem => new FluxApiException(ApiFailure.NotFound, what, status, problem),
            404 => new FluxApiException(ApiFailure.Server, $"{Describe(response)} answered 404: is --url the FluxFunctions API's base URL?", status, problem),
            409 => new FluxApiException(ApiFailure.Conflict, what, status, problem),
            400 or 413 or 415 or 422 => new FluxApiException(ApiFailure.Rejected, problem?.Title is { } title ? $"{title} {problem.Detail}".Trim() : what, status, problem),
            _ => new FluxApiException(ApiFailure.Server, $"The API answered {status}: {what}", status, problem),
        };
    }

    private static string Describe(HttpResponseMessage response) =>
        response.RequestMessage?.RequestUri is { } uri ? $"{uri.GetLeftPart(UriPartial.Path)}" : "The API";
}
