using System.Runtime.InteropServices;
using FluxFunctions.Imaging;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>The fixed mmap and trim thresholds are set through glibc on this (Linux) machine, and an operator's own setting stands.</summary>
public sealed class NativeHeapTests
{
    private const int RusageThread = 1;

    [Fact]
    public void TuneForImages_OnGlibc_SetsTheThreshold()
    {
        Assert.True(OperatingSystem.IsLinux(), "the test machines run Linux with glibc");

        var outcome = NativeHeap.TuneForImages();

        Assert.Equal($"blocks of {NativeHeap.LargeBlockBytes} bytes or more are mapped on their own; up to {NativeHeap.KeptFreeBytes} bytes of free space kept for the next job; at most {NativeHeap.Heaps} heaps", outcome);
    }

    [Fact]
    public void TuneForImages_ABitmapFreedThenAllocatedAgain_IsNotFaultedInAgain()
    {
        // A 1024² RGBA bitmap's 4 MiB, allocated, written and freed ten times on this thread: its pages are touched for the
        // first time once, not ten times (with the trim threshold at glibc's default, each free gave them back).
        NativeHeap.TuneForImages();
        const int bytes = 4 << 20;
        var pages = bytes / Environment.SystemPageSize;
        var ones = Enumerable.Repeat((byte)1, bytes).ToArray();
        var before = MinorFaultsOfThisThread();
        for (var i = 0; i < 10; i++)
        {
            var block = Marshal.AllocHGlobal(bytes); // malloc
            Marshal.Copy(ones, 0, block, bytes);
            Marshal.FreeHGlobal(block);
        }

        var faults = MinorFaultsOfThisThread() - before;
        Assert.True(faults < 3 * pages, $"{faults} page faults for ten 4 MiB blocks of {pages} pages each");
    }

    [Fact]
    public void TuneForImages_WithTheOperatorsEnvironmentSetting_ChangesNothing()
    {
        Environment.SetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_", "65536");
        try
        {
            Assert.Equal("unchanged (MALLOC_MMAP_THRESHOLD_=65536)", NativeHeap.TuneForImages());
        }
        finally
        {
            Environment.SetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_", null);
        }
    }

    /// <summary>Minor page faults of the calling thread so far (getrusage, RUSAGE_THREAD: ru_minflt follows two timevals and four longs).</summary>
    private static long MinorFaultsOfThisThread()
    {
        var usage = new long[18];
        Assert.Equal(0, GetRusage(RusageThread, usage));
        return usage[8];
    }

    [DllImport("libc.so.6", EntryPoint = "getrusage", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetRusage(int who, [Out] long[] usage);
}
