using FluxFunctions.Core.Storage;

namespace FluxFunctions.Core.Tests.Storage;

/// <summary>The blob names the layout builds parse back to their job id; nothing else does.</summary>
public sealed class OutputLayoutTests
{
    private static readonly string BlobJob = JobIds.ForBlob("flux-inputs", "canny/products/shoe.png", "\"0x8DC\"");
    private static readonly string ApiJob = JobIds.ForApi();

    [Theory]
    [InlineData("canny/products/shoe")]
    [InlineData("fill/api/photo")]
    [InlineData("depth/a/b/c/d")]
    public void Manifest_and_failure_record_names_parse_back_to_their_job_id(string baseName)
    {
        foreach (var jobId in new[] { BlobJob, ApiJob })
        {
            Assert.True(OutputLayout.TryParseManifest(OutputLayout.Manifest(OutputLayout.OutputPrefix(baseName, jobId)), out var fromManifest));
            Assert.Equal(jobId, fromManifest);
            Assert.True(OutputLayout.TryParseFailureRecord(OutputLayout.FailureRecord(baseName, jobId), out var fromRecord));
            Assert.Equal(jobId, fromRecord);
        }
    }

    [Fact]
    public void Other_names_under_the_same_prefixes_are_not_records()
    {
        var prefix = OutputLayout.OutputPrefix("canny/products/shoe", BlobJob);
        string[] notManifests =
        [
            OutputLayout.OutputImage(prefix, 0, "png"),
            OutputLayout.FailureRecord("canny/products/shoe", BlobJob),
            $"{BlobJob}/manifest.json",
            $"canny/shoe/{BlobJob[..31]}/manifest.json",
            $"canny/shoe/{BlobJob.ToUpperInvariant()}/manifest.json",
            $"canny/shoe{BlobJob}/manifest.json",
            "canny/shoe/manifest.json",
        ];
        foreach (var name in notManifests)
        {
            Assert.False(OutputLayout.TryParseManifest(name, out var id), name);
            Assert.Equal("", id);
        }

        string[] notRecords =
        [
            OutputLayout.Manifest(prefix),
            "canny/products/shoe.json",
            $"{BlobJob}.json",
            $"canny/shoe/{BlobJob}.png",
            $"canny/shoe/x{BlobJob}.json",
            $"canny/shoe/c{BlobJob[1..]}.json",
        ];
        foreach (var name in notRecords)
        {
            Assert.False(OutputLayout.TryParseFailureRecord(name, out var id), name);
            Assert.Equal("", id);
        }
    }
}
