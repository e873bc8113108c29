using FluxFunctions.Api;
using FluxFunctions.Api.Preprocessing;
using FluxFunctions.Functions.Triggers;
using FluxFunctions.Testing.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FluxFunctions.Functions.Tests.Triggers;

/// <summary>
/// Calls the Functions HTTP trigger methods directly, as the Functions host would after routing and key checks: a
/// <see cref="DefaultHttpContext"/> request in, the <see cref="IActionResult"/> executed into a buffered response.
/// </summary>
internal sealed class TriggerInvoker(RunnerFixture fixture)
{
    private IServiceProvider Services => fixture.Services;

    private DurableTaskClient Client => Services.GetRequiredService<DurableTaskClient>();

    public async Task<ApiAnswer> SendAsync(string method, string pathAndQuery, HttpContent? body = null, bool sendLength = true)
    {
        var context = await ToContextAsync(method, pathAndQuery, body, sendLength);
        var segments = context.Request.Path.Value!.Trim('/').Split('/');
        var edits = new EditTriggers(Services.GetRequiredService<EditsApi>());
        var ct = CancellationToken.None;
        IActionResult result = (method, segments) switch
        {
            ("POST", ["api", "edits"]) => await edits.CreateEdit(context.Request, Client, ct),
            ("GET", ["api", "edits", var id]) => await edits.GetEdit(context.Request, id, Client, ct),
            ("DELETE", ["api", "edits", var id]) => await edits.CancelEdit(context.Request, id, Client, ct),
            ("GET", ["api", "edits", var id, "outputs", var index]) => await edits.GetEditOutput(context.Request, id, int.Parse(index, System.Globalization.CultureInfo.InvariantCulture), Client, ct),
            ("POST", ["api", "preprocess", var kind]) => await new PreprocessTrigger(Services.GetRequiredService<PreprocessApi>()).Preprocess(context.Request, kind, ct),
            ("GET", ["api", "batches", var tool, .. var path]) => await new BatchTrigger(Services.GetRequiredService<BatchStatusApi>()).GetBatch(context.Request, tool, string.Join('/', path), Client, ct),
            ("GET", ["api", "health"]) => await new HealthTrigger(Services.GetRequiredService<HealthApi>()).Health(context.Request, ct),
            ("POST", ["api", "runware", "webhook", var id]) => await new RunwareWebhookTrigger(Services.GetRequiredService<RunwareWebhookApi>()).RunwareWebhook(context.Request, id, Client, ct),
            _ => throw new InvalidOperationException($"No trigger for {method} {pathAndQuery}."),
        };

        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        var response = context.Response;
        var buffer = (MemoryStream)response.Body;
        return new ApiAnswer(response.StatusCode, response.ContentType, response.Headers.Location.FirstOrDefault(), buffer.ToArray());
    }

    public Task<ApiAnswer> SendAsync(ApiCase c) => SendAsync(c.Method, c.Path, c.Body());

    private async Task<DefaultHttpContext> ToContextAsync(string method, string pathAndQuery, HttpContent? body, bool sendLength)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        var request = context.Request;
        request.Method = method;
        request.Scheme = "https";
        request.Host = new HostString("fluxfunctions.azurewebsites.net");
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        request.Path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        request.QueryString = q < 0 ? QueryString.Empty : new QueryString(pathAndQuery[q..]);
        if (body is not null)
        {
            var bytes = await body.ReadAsByteArrayAsync();
            request.Body = new MemoryStream(bytes);
            request.ContentLength = sendLength ? bytes.Length : null;
            request.ContentType = body.Headers.ContentType?.ToString();
            body.Dispose();
        }

        context.Response.Body = new MemoryStream();
        return context;
    }
}
