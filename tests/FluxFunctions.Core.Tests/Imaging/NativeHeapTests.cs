using FluxFunctions.Imaging;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>The fixed mmap threshold is set through glibc on this (Linux) machine, and an operator's own setting stands.</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void ReturnLargeBlocks_OnGlibc_SetsTheThreshold()
    {
        Assert.True(OperatingSystem.IsLinux(), "the test machines run Linux with glibc");

        var outcome = NativeHeap.ReturnLargeBlocks();

        Assert.Equal($"blocks of {NativeHeap.LargeBlockBytes} bytes or more are mapped on their own", outcome);
    }

    [Fact]
    public void ReturnLargeBlocks_WithTheOperatorsEnvironmentSetting_ChangesNothing()
    {
        Environment.SetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_", "65536");
        try
        {
            Assert.Equal("unchanged (MALLOC_MMAP_THRESHOLD_=65536)", NativeHeap.ReturnLargeBlocks());
        }
        finally
        {
            Environment.SetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_", null);
        }
    }
}
