using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FluxFunctions.Emulator.Tests.Inspection;

/// <summary>The emulator can also be hosted in memory with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public sealed class WebApplicationFactoryTests
{
    [Fact]
    public async Task WebApplicationFactory_Program_ServesTheRunwareEndpoint()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("Emulator:LatencyMs", "0"));
        using var client = factory.CreateClient();
        var task = RunwareTasks.Inference(RunwareTasks.Dev, 128);

        using var response = await client.PostAsync(new Uri("v1", UriKind.Relative), new StringContent(new JsonArray(task).ToJsonString(), Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(task.Uuid(), (string?)body["data"]![0]!["taskUUID"]);
    }
}
