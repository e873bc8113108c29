using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Functions.Tests.HostProtocol.Rpc;
using Google.Protobuf;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// The binding data the host's WebJobs extensions put into an invocation for an isolated worker. Shapes (names are
/// case-sensitive on the worker side):
/// <list type="bullet">
/// <item>blob trigger / input for SDK types: <c>ModelBindingData</c> version "1.0", source "AzureStorageBlobs", content
/// type application/json, content <c>{"Connection","ContainerName","BlobName"}</c>;</item>
/// <item><c>[DurableClient]</c> with the gRPC ("middleware passthrough") protocol: a string of JSON
/// <c>{"taskHubName","connectionName","rpcBaseUrl","requiredQueryStringParameters","httpBaseUrl","maxGrpcMessageSizeInBytes","grpcHttpClientTimeout"}</c>
/// (the worker extension sizes its gRPC receive limit from maxGrpcMessageSizeInBytes; the host's default is 4 MiB).</item>
/// </list>
/// Sources are in README.md.
/// </summary>
public static class HostBindingData
{
    public const string BlobSource = "AzureStorageBlobs";

    public static TypedData Blob(string connection, string container, string blobName) =>
        BlobWithContent(new JsonObject { ["Connection"] = connection, ["ContainerName"] = container, ["BlobName"] = blobName });

    /// <summary>Blob binding data with any content (tests use it to send a wrong shape).</summary>
    public static TypedData BlobWithContent(JsonObject content, string source = BlobSource)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new TypedData
        {
            ModelBindingData = new ModelBindingData
            {
                Version = "1.0",
                Source = source,
                ContentType = "application/json",
                Content = ByteString.CopyFromUtf8(content.ToJsonString()),
            },
        };
    }

    /// <summary>The Durable extension's default <c>MaxGrpcMessageSizeInBytes</c> (4 MiB).</summary>
    public const int DefaultMaxGrpcMessageSizeInBytes = 4 * 1024 * 1024;

    public static TypedData DurableClient(string taskHub, Uri rpcBaseUrl, Uri? httpBaseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(rpcBaseUrl);
        return DurableClientWithContent(new JsonObject
        {
            ["taskHubName"] = taskHub,
            ["connectionName"] = null,
            ["rpcBaseUrl"] = rpcBaseUrl.OriginalString,
            ["requiredQueryStringParameters"] = "",
            ["httpBaseUrl"] = httpBaseUrl?.OriginalString ?? "http://127.0.0.1/runtime/webhooks/durabletask",
            ["maxGrpcMessageSizeInBytes"] = DefaultMaxGrpcMessageSizeInBytes,
            ["grpcHttpClientTimeout"] = null,
        });
    }

    /// <summary>Durable client binding data with any content (tests use it to send a wrong shape).</summary>
    public static TypedData DurableClientWithContent(JsonObject content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new TypedData { String = content.ToJsonString() };
    }

    public static TypedData Text(string value) => new() { String = value };

    public static TypedData Json(object value) => new() { Json = JsonSerializer.Serialize(value) };

    public static ParameterBinding Input(string name, TypedData data) => new() { Name = name, Data = data };
}
