using FluxFunctions.Runner.Watching;

namespace FluxFunctions.Runner.Tests.Pipeline;

/// <summary>The watcher's pause between passes grows with a slow listing, so a large container is not listed back to back.</summary>
public sealed class WatcherPauseTests
{
    [Theory]
    [InlineData(10, 2000, 2000)] // a small container: the configured interval
    [InlineData(500, 2000, 2000)] // a quarter of the interval: still the interval
    [InlineData(1100, 2000, 4400)] // 10,000 names on Azurite: four times the listing
    [InlineData(1100, 200, 4400)]
    public void PauseAfter_IsTheIntervalOrFourTimesTheListing(int listingMs, int intervalMs, int expectedMs)
    {
        var pause = InputWatcher.PauseAfter(TimeSpan.FromMilliseconds(listingMs), TimeSpan.FromMilliseconds(intervalMs));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), pause);
    }
}
