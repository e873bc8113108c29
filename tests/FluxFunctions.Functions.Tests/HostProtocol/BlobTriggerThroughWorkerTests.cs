using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using FluxFunctions.Functions.Tests.HostProtocol.Rpc;
using FluxFunctions.Testing;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// Stage 2: the blob-drop function invoked through the worker's middleware with the binding data the host sends — the
/// blob as <c>ModelBindingData</c> (converted to a <c>BlobClient</c> by the blob extension's converter) and the durable
/// client as the Durable extension's JSON (converted to a <c>DurableTaskClient</c> connected over gRPC to the runner's
/// real durable engine), which then runs the job to its manifest.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class BlobTriggerThroughWorkerTests(FunctionsHostFixture fixture)
{
    private const string Container = "flux-inputs";
    private static readonly TimeSpan InvokeTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    private BlobContainerClient Inputs => fixture.Azurite.BlobService.GetBlobContainerClient(Container);

    [Fact]
    public async Task BlobDrop_InvokedThroughTheWorker_RunsTheJobOnTheRunnerToItsManifest()
    {
        await Inputs.CreateIfNotExistsAsync();
        await Inputs.GetBlobClient("canny/fnhost/house.json").UploadAsync(BinaryData.FromString("""{"prompt":"a house seen through the worker protocol"}"""), overwrite: true);
        var blob = Inputs.GetBlobClient("canny/fnhost/house.png");
        await blob.UploadAsync(BinaryData.FromBytes(TestFiles.Png(TestImages.PhotoLike(512, 384, 11))), overwrite: true);

        var response = await InvokeBlobDropAsync(HostBindingData.Blob("AzureWebJobsStorage", Container, blob.Name), DurableClient());

        AssertSucceeded(response);
        var manifest = Assert.Single(await WaitForManifestsAsync("canny/fnhost/house/", 1));
        Assert.Equal("completed", (string?)manifest["status"]);
        var inferences = (await fixture.RunwareTasksAsync()).Count(t => (string?)t["taskType"] == "imageInference" && (string?)t["positivePrompt"] == "a house seen through the worker protocol");
        Assert.Equal(1, inferences);
    }

    [Fact]
    public async Task BlobDrop_BlobBindingDataWithCamelCaseNames_FailsTheConversion()
    {
        // The blob converter reads Connection/ContainerName/BlobName case-sensitively: a wrong shape must not pass.
        var camel = new JsonObject { ["connection"] = "AzureWebJobsStorage", ["containerName"] = Container, ["blobName"] = "canny/fnhost/none.png" };

        var response = await InvokeBlobDropAsync(HostBindingData.BlobWithContent(camel), DurableClient());

        Assert.Equal(StatusResult.Types.Status.Failure, response.Result.Status);
        Assert.Contains("'Connection' cannot be null or empty", response.Result.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlobDrop_BlobBindingDataFromAnotherExtension_FailsTheConversion()
    {
        var response = await InvokeBlobDropAsync(
            HostBindingData.BlobWithContent(new JsonObject { ["Connection"] = "AzureWebJobsStorage", ["ContainerName"] = Container, ["BlobName"] = "x.png" }, source: "AzureStorageQueues"),
            DurableClient());

        Assert.Equal(StatusResult.Types.Status.Failure, response.Result.Status);
        Assert.Contains("AzureStorageQueues", response.Result.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlobDrop_DurableClientDataWithoutRpcBaseUrl_FailsTheConversion()
    {
        var wrong = new JsonObject { ["taskHubName"] = fixture.TaskHub, ["baseUrl"] = fixture.DurableEndpoint.OriginalString };

        var response = await InvokeBlobDropAsync(HostBindingData.Blob("AzureWebJobsStorage", Container, "canny/fnhost/none.png"), HostBindingData.DurableClientWithContent(wrong));

        Assert.Equal(StatusResult.Types.Status.Failure, response.Result.Status);
        Assert.Contains("client", response.Result.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlobDrop_DurableClientDataWithoutMaxGrpcMessageSize_FailsOnTheEnginesFirstAnswer()
    {
        // Worker extension 1.21 takes a missing maxGrpcMessageSizeInBytes as 0 bytes: the client is created, but every
        // answer from the durable engine is then too large. A host whose Durable extension predates that field fails so.
        // The worker caches one client per endpoint and task hub, so this test's client gets an endpoint of its own.
        await using var ownEndpoint = fixture.NewDurableEndpoint();
        var client = JsonNode.Parse(HostBindingData.DurableClient(fixture.TaskHub, ownEndpoint.Address).String)!.AsObject();
        client.Remove("maxGrpcMessageSizeInBytes");
        await Inputs.CreateIfNotExistsAsync();
        await Inputs.GetBlobClient("canny/fnhost/small.json").UploadAsync(BinaryData.FromString("""{"prompt":"never scheduled"}"""), overwrite: true);
        var blob = Inputs.GetBlobClient("canny/fnhost/small.png");
        await blob.UploadAsync(BinaryData.FromBytes(TestFiles.Png(TestImages.PhotoLike(256, 192, 12))), overwrite: true);

        var response = await InvokeBlobDropAsync(HostBindingData.Blob("AzureWebJobsStorage", Container, blob.Name), HostBindingData.DurableClientWithContent(client));

        Assert.Equal(StatusResult.Types.Status.Failure, response.Result.Status);
        Assert.Contains("ResourceExhausted", response.Result.Exception.Message, StringComparison.Ordinal);
    }

    private TypedData DurableClient() => HostBindingData.DurableClient(fixture.TaskHub, fixture.DurableEndpoint);

    /// <summary>What the host sends for BlobDrop: the trigger and the durable client as inputs, the path's {name} and the blob's path and URI as trigger metadata.</summary>
    private Task<InvocationResponse> InvokeBlobDropAsync(TypedData blob, TypedData client)
    {
        var blobName = BlobNameOf(blob);
        var metadata = new Dictionary<string, TypedData>
        {
            ["name"] = HostBindingData.Text(blobName),
            ["BlobTrigger"] = HostBindingData.Text($"{Container}/{blobName}"),
            ["Uri"] = HostBindingData.Json(Inputs.GetBlobClient(blobName).Uri.ToString()),
        };
        return fixture.Host.InvokeAsync(
            "BlobDrop",
            [HostBindingData.Input("blob", blob), HostBindingData.Input("client", client)],
            metadata,
            InvokeTimeout);
    }

    private static string BlobNameOf(TypedData blob)
    {
        var content = JsonNode.Parse(blob.ModelBindingData.Content.ToStringUtf8())!;
        return (string?)(content["BlobName"] ?? content["blobName"]) ?? "";
    }

    private void AssertSucceeded(InvocationResponse response) =>
        Assert.True(
            response.Result.Status == StatusResult.Types.Status.Success,
            $"The invocation failed: {response.Result.Exception?.Message}\n{fixture.Host.Diagnostics()}");

    private Task<List<JsonNode>> WaitForManifestsAsync(string prefix, int count) =>
        Manifests.WaitAsync(fixture.Azurite.BlobService, prefix, count, JobTimeout);
}
