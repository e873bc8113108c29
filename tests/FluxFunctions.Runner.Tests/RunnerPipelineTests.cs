using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using FluxFunctions.Runware;
using FluxFunctions.Testing;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace FluxFunctions.Runner.Tests;

public sealed class RunnerPipelineTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task BlobDrop_CannyJob_WritesImageAndManifest()
    {
        var fake = new FakeRunware();
        await using var app = FluxFunctions.Runner.RunnerApp.Build(
            ["--urls", $"http://127.0.0.1:{FreePort.Next()}"],
            b =>
            {
                b.Configuration["AzureWebJobsStorage"] = azurite.ConnectionString;
                b.Configuration["Durable:HubName"] = "t" + Guid.NewGuid().ToString("N")[..12];
                b.Configuration["Flux:WatchIntervalMs"] = "200";
                b.Configuration["Runware:BaseUrl"] = "http://127.0.0.1:9/v1";
                b.Configuration["Flux:AllowAnonymous"] = "true";
                b.Services.AddSingleton<IRunwareClient>(fake);
            });
        await app.StartAsync();

        var inputs = azurite.BlobService.GetBlobContainerClient("flux-inputs");
        await inputs.CreateIfNotExistsAsync();
        await inputs.GetBlobClient("canny/demo/house.png").UploadAsync(BinaryData.FromBytes(Png(800, 600)), overwrite: true);
        await inputs.GetBlobClient("canny/demo/house.json").UploadAsync(BinaryData.FromString("""{"prompt":"a wooden house"}"""), overwrite: true);

        var outputs = azurite.BlobService.GetBlobContainerClient("flux-outputs");
        var manifest = await WaitForBlob(outputs, "canny/demo/house/", "manifest.json", TimeSpan.FromSeconds(60));

        var json = JsonNode.Parse(manifest)!;
        Assert.Equal("completed", (string?)json["status"]);
        Assert.Equal("runware:104@1", (string?)json["runware"]!["model"]);
        var submitted = Assert.Single(fake.Submitted);
        Assert.Equal("a wooden house", (string?)submitted["positivePrompt"]);
        await app.StopAsync();
    }

    private static byte[] Png(int w, int h)
    {
        using var bitmap = new SKBitmap(w, h);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var paint = new SKPaint { Color = SKColors.Black };
            canvas.DrawRect(w / 4, h / 4, w / 2, h / 2, paint);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static async Task<string> WaitForBlob(BlobContainerClient container, string prefix, string suffix, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await container.ExistsAsync())
            {
                await foreach (var item in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix }))
                {
                    if (item.Name.EndsWith(suffix, StringComparison.Ordinal))
                    {
                        var content = await container.GetBlobClient(item.Name).DownloadContentAsync();
                        return Encoding.UTF8.GetString(content.Value.Content.ToArray());
                    }
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"No {prefix}*{suffix} within {timeout}.");
    }
}
