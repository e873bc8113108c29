using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Pipeline;
using FluxFunctions.Core.Storage;
using FluxFunctions.Testing;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Tests.Pipeline;

/// <summary>The race between a finishing activity and a cancel request, settled on a real blob (Azurite).</summary>
public sealed class JobEndClaimTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData(JobEnd.Finish, JobEnd.Cancel)]
    [InlineData(JobEnd.Cancel, JobEnd.Finish)]
    public async Task TryClaim_FirstSideWins_AndKeepsWinningWhenItAsksAgain(JobEnd first, JobEnd second)
    {
        var claim = await ClaimAsync();
        var jobId = JobIds.ForApi();

        Assert.True(await claim.TryClaimAsync(jobId, first));
        Assert.False(await claim.TryClaimAsync(jobId, second));
        Assert.True(await claim.TryClaimAsync(jobId, first));
        Assert.False(await claim.TryClaimAsync(jobId, second));
    }

    [Fact]
    public async Task TryClaim_BothSidesAtOnce_ExactlyOneWinsForEveryJob()
    {
        var claim = await ClaimAsync();
        for (var i = 0; i < 20; i++)
        {
            var jobId = JobIds.ForApi();
            var answers = await Task.WhenAll(claim.TryClaimAsync(jobId, JobEnd.Finish), claim.TryClaimAsync(jobId, JobEnd.Cancel));
            Assert.Single(answers, won => won);
        }
    }

    private async Task<JobEndClaim> ClaimAsync()
    {
        var storage = new FluxStorage(azurite.BlobService, Options.Create(new FluxOptions()));
        await storage.EnsureContainersAsync();
        return new JobEndClaim(storage);
    }
}
