using FluxFunctions.Core.Pipeline;
using FluxFunctions.Errors;

namespace FluxFunctions.Core.Tests.Pipeline;

/// <summary>The blob metadata a failure record is written with (read by batch listings without opening the record).</summary>
public sealed class FailureMetadataTests
{
    [Fact]
    public void FailureMetadata_PlainCodeAndStage_AreBothKept()
    {
        var metadata = JobRecords.FailureMetadata(new FluxError(ErrorCodes.MissingCompanion, "no options"), Stages.WaitingForCompanions);

        Assert.Equal("missingCompanion", metadata[JobRecords.ErrorCodeMetadata]);
        Assert.Equal("waiting-for-companions", metadata[JobRecords.StageMetadata]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad code")]
    [InlineData("coupé")]
    [InlineData("a\nb")]
    public void FailureMetadata_CodeThatIsNoPlainToken_IsLeftOut(string code)
    {
        var metadata = JobRecords.FailureMetadata(new FluxError(code, "m"), Stages.Preparing);

        Assert.False(metadata.ContainsKey(JobRecords.ErrorCodeMetadata));
        Assert.Equal("preparing", metadata[JobRecords.StageMetadata]);
    }
}
