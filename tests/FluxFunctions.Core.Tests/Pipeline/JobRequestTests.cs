using System.Text.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Requests;
using Microsoft.DurableTask.Converters;

namespace FluxFunctions.Core.Tests.Pipeline;

/// <summary>A job's tool is held once: the request's for API jobs, the tool folder's for blob jobs.</summary>
public sealed class JobRequestTests
{
    /// <summary>The runner's converter (Durable Task SDK) and the Functions worker's (camelCase) both read orchestration inputs.</summary>
    private static readonly JsonSerializerOptions Functions = new(JsonSerializerDefaults.Web);

    /// <summary>An API job's input as the previous version wrote it: the tool both at the top and in the spec.</summary>
    private const string OldApiInput = """
        {"JobId":"a0123","Origin":"Api","Image":{"Container":"flux-uploads","Name":"a0123/image.png","ETag":"\"0x1\""},
         "BaseName":"fill/api/photo","Tool":"Fill","Spec":{"Tool":"Fill","Prompt":"a red door"},"Mask":null,
         "MaskCompanion":null,"References":null,"ReferenceCompanion":null,"OptionsCompanion":null,
         "CreatedAt":"2026-12-01T00:00:00+00:00",
         "Settings":{"OutputContainer":"flux-outputs","FailedContainer":"flux-failed","CompanionWaitSeconds":60,"OptionalCompanionWaitSeconds":5,
                     "InferenceTimeoutSeconds":900,"PollInitialDelayMs":1000,"PollMaxDelayMs":8000,"ActivityMaxAttempts":6,"ImageTransfer":"upload","WebhookBaseUrl":null}}
        """;

    /// <summary>A blob job's input as the previous version wrote it: the tool from the folder, no spec yet.</summary>
    private const string OldBlobInput = """
        {"JobId":"b0123","Origin":"Blob","Image":{"Container":"flux-inputs","Name":"depth/rooms/kitchen.jpg","ETag":"\"0x2\""},
         "BaseName":"depth/rooms/kitchen","Tool":"Depth","Spec":null,"Mask":null,"MaskCompanion":"depth/rooms/kitchen.mask.png",
         "References":null,"ReferenceCompanion":"depth/rooms/kitchen.ref.png","OptionsCompanion":"depth/rooms/kitchen.json",
         "CreatedAt":"2026-12-01T00:00:00+00:00",
         "Settings":{"OutputContainer":"flux-outputs","FailedContainer":"flux-failed","CompanionWaitSeconds":60,"OptionalCompanionWaitSeconds":5,
                     "InferenceTimeoutSeconds":900,"PollInitialDelayMs":1000,"PollMaxDelayMs":8000,"ActivityMaxAttempts":6,"ImageTransfer":"upload","WebhookBaseUrl":null}}
        """;

    [Fact]
    public void An_input_written_by_the_previous_version_still_reads_and_keeps_its_tool()
    {
        foreach (var read in Readers())
        {
            var api = read(OldApiInput);
            Assert.Equal(FluxTool.Fill, api.Tool);
            Assert.Equal("a red door", api.Spec?.Prompt);

            var blob = read(OldBlobInput);
            Assert.Equal(FluxTool.Depth, blob.Tool);
            Assert.Equal("depth/rooms/kitchen.json", blob.OptionsCompanion);
        }
    }

    [Fact]
    public void The_tool_is_written_once_in_the_spec_and_not_beside_it()
    {
        var api = JsonDataConverter.Default.Deserialize<JobRequest>(OldApiInput)!;
        var written = JsonNode.Parse(JsonDataConverter.Default.Serialize(api)!)!.AsObject();

        Assert.False(written.ContainsKey("Tool"));
        Assert.Equal("Fill", (string?)written["Spec"]!["Tool"]);
        Assert.Equal(FluxTool.Fill, JsonDataConverter.Default.Deserialize<JobRequest>(written.ToJsonString())!.Tool);
    }

    [Fact]
    public void A_blob_job_outside_a_tool_folder_has_no_tool()
    {
        var blob = JsonDataConverter.Default.Deserialize<JobRequest>(OldBlobInput)!;

        Assert.Null((blob with { Image = blob.Image with { Name = "kitchen.jpg" } }).Tool);
        Assert.Null((blob with { Image = blob.Image with { Name = "paint/kitchen.jpg" } }).Tool);
        Assert.Equal(FluxTool.Canny, (blob with { Image = blob.Image with { Name = "canny/kitchen.jpg" } }).Tool);
    }

    private static IEnumerable<Func<string, JobRequest>> Readers() =>
    [
        json => JsonDataConverter.Default.Deserialize<JobRequest>(json)!,
        json => JsonSerializer.Deserialize<JobRequest>(json, Functions)!,
    ];
}
