using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Functions.Tests.HostProtocol.Rpc;

namespace FluxFunctions.Functions.Tests.HostProtocol;

/// <summary>
/// Stage 1: the real worker process, started and driven like the Functions host drives it, initialises, indexes the
/// functions of functions.metadata and loads every one; extensions.json names startup types the host can find.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class WorkerHandshakeTests(FunctionsHostFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private FunctionsHostStandIn Host => fixture.Host;

    private static JsonArray MetadataFile() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(WorkerLaunch.BuiltAppDirectory, "functions.metadata")))!.AsArray();

    [Fact]
    public void Init_WorkerAnswersSuccess_AndAdvertisesHttpProxyingOnLoopback()
    {
        Assert.Equal(StatusResult.Types.Status.Success, Host.InitResponse.Result.Status);
        var uri = Host.HttpUri;
        Assert.NotNull(uri);
        Assert.Equal("http", uri.Scheme);
        Assert.True(uri.IsLoopback, $"HttpUri {uri} is not a loopback address");

        // What the host relies on for an ASP.NET Core integrated .NET worker (RpcWorkerConstants of the host).
        foreach (var capability in new[] { "RpcHttpBodyOnly", "RawHttpBodyBytes", "RpcHttpTriggerMetadataRemoved", "UseNullableValueDictionaryForHttp", "TypedDataCollection", "WorkerStatus" })
        {
            Assert.True(Host.InitResponse.Capabilities.ContainsKey(capability), $"The worker does not advertise {capability}");
        }

        Assert.StartsWith(".NET", Host.InitResponse.WorkerMetadata.RuntimeName, StringComparison.Ordinal);
        Assert.StartsWith("10.", Host.InitResponse.WorkerMetadata.RuntimeVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkerConfig_TellsTheHostToLetTheWorkerIndex_AndToStartItWithDotnet()
    {
        Assert.Equal("dotnet-isolated", Host.Config.Language);
        Assert.True(Host.Config.WorkerIndexing, "worker.config.json must say workerIndexing: true for the host to send FunctionsMetadataRequest");
        Assert.Equal("dotnet", Host.Config.DefaultExecutablePath);
        Assert.True(File.Exists(Path.Combine(WorkerLaunch.BuiltAppDirectory, Host.Config.DefaultWorkerPath)), $"{Host.Config.DefaultWorkerPath} is not in the app folder");
    }

    [Fact]
    public void Indexing_WorkerReturnsEveryFunctionOfFunctionsMetadata_WithItsBindings()
    {
        Assert.Equal(StatusResult.Types.Status.Success, Host.MetadataResponse.Result.Status);
        Assert.False(Host.MetadataResponse.UseDefaultMetadataIndexing, "the worker asked the host to index instead");

        var file = MetadataFile();
        Assert.Equal(
            file.Select(f => (string)f!["name"]!).Order(StringComparer.Ordinal),
            Host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var function in Host.Functions)
        {
            var expected = file.Single(f => (string?)f!["name"] == function.Name)!;
            Assert.Equal((string?)expected["entryPoint"], function.Metadata.EntryPoint);
            Assert.Equal((string?)expected["scriptFile"], function.Metadata.ScriptFile);
            Assert.False(string.IsNullOrEmpty(function.FunctionId), $"{function.Name} has no function id");
            Assert.Equal(
                expected["bindings"]!.AsArray().Select(b => (string)b!["name"]!),
                function.Bindings.Select(b => b.Name));

            // Every function has exactly one trigger: the host refuses a function without one.
            Assert.Single(function.Bindings, b => b.IsTrigger);
        }
    }

    [Fact]
    public void Load_EveryIndexedFunction_LoadsWithSuccess()
    {
        Assert.Equal(Host.Functions.Count, Host.LoadResponses.Count);
        var failed = Host.LoadResponses
            .Where(r => r.Value.Result.Status != StatusResult.Types.Status.Success)
            .Select(r => $"{r.Key}: {r.Value.Result.Exception?.Message}")
            .ToList();
        Assert.True(failed.Count == 0, "Functions that did not load:\n" + string.Join('\n', failed));
    }

    [Fact]
    public async Task Load_AnEntryPointTheAssemblyDoesNotHave_IsRefused()
    {
        // The same check as above must be able to fail: a load request whose entry point is wrong.
        var request = Host.Function("Health").ToLoadRequest();
        request.FunctionId = Guid.NewGuid().ToString();
        request.Metadata.FunctionId = request.FunctionId;
        request.Metadata.Name = "HealthWithAWrongEntryPoint";
        request.Metadata.EntryPoint = "FluxFunctions.Functions.Triggers.HealthTrigger.NoSuchMethod";

        var response = await Host.Connection.LoadAsync(request, Timeout);

        Assert.Equal(StatusResult.Types.Status.Failure, response.Result.Status);
        Assert.Contains("NoSuchMethod", response.Result.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtensionsJson_EveryStartupType_IsInTheAssemblyAtItsHintPath()
    {
        var manifest = ExtensionsManifest.Read(WorkerLaunch.BuiltAppDirectory);

        Assert.NotEmpty(manifest.Extensions);
        var problems = manifest.Extensions.Select(manifest.Problem).OfType<string>().ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void ExtensionsJson_CoversEveryNonHttpBindingTypeTheFunctionsUse()
    {
        // Binding type -> the WebJobs extension (extensions.json "name") that registers it in the host; http and
        // httpTrigger are built into the host.
        var providers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["blobTrigger"] = "AzureStorageBlobs",
            ["blob"] = "AzureStorageBlobs",
            ["durableClient"] = "DurableTask",
            ["orchestrationTrigger"] = "DurableTask",
            ["activityTrigger"] = "DurableTask",
            ["entityTrigger"] = "DurableTask",
        };
        var builtIn = new HashSet<string>(["http", "httpTrigger"], StringComparer.OrdinalIgnoreCase);
        var declared = ExtensionsManifest.Read(WorkerLaunch.BuiltAppDirectory).Extensions.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);

        foreach (var type in Host.Functions.SelectMany(f => f.Bindings).Select(b => b.Type).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (builtIn.Contains(type))
            {
                continue;
            }

            Assert.True(providers.TryGetValue(type, out var extension), $"No known extension provides binding type '{type}'");
            Assert.True(declared.Contains(extension), $"Binding type '{type}' needs extension {extension}, which extensions.json does not list");
        }
    }

    [Fact]
    public void ExtensionsManifest_ATypeNameTheAssemblyDoesNotHave_IsReported()
    {
        var manifest = ExtensionsManifest.Read(WorkerLaunch.BuiltAppDirectory);
        var real = manifest.Extensions.First();
        var wrong = real with { TypeName = "Nope.Startup, " + real.TypeName.Split(',', 2)[1].Trim() };

        Assert.Null(manifest.Problem(real));
        Assert.Contains("has no type Nope.Startup", manifest.Problem(wrong), StringComparison.Ordinal);
    }

    [Fact]
    public void RawBindings_ParseLikeTheHost_DirectionIsCaseInsensitive()
    {
        var binding = RawBinding.Parse("""{"name":"blob","direction":"In","type":"blobTrigger","dataType":"String"}""");

        Assert.Equal(BindingInfo.Types.Direction.In, binding.Direction);
        Assert.Equal(BindingInfo.Types.DataType.String, binding.DataType);
        Assert.True(binding.IsTrigger);
        _ = JsonDocument.Parse(binding.Json);
    }
}
