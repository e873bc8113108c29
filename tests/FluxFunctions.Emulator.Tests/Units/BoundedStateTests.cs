using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Images;
using FluxFunctions.Emulator.Tasks;
using FluxFunctions.Emulator.Validation;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Tests.Units;

/// <summary>The emulator's in-memory state stays bounded and keeps what must be kept.</summary>
public sealed class BoundedStateTests
{
    [Fact]
    public void ImageStore_BeyondMaxImages_EvictsTheOldest()
    {
        var store = new ImageStore(Options.Create(new EmulatorOptions { MaxImages = 3 }));
        var ids = Enumerable.Range(0, 5).Select(_ => store.Add(new byte[10], ImageFormat.Png, 1, 1).Id).ToList();

        Assert.Equal(3, store.Count);
        Assert.False(store.TryGet(ids[0], out _));
        Assert.False(store.TryGet(ids[1], out _));
        Assert.True(store.TryGet(ids[4], out _));
        Assert.Equal(30, store.TotalBytes);
    }

    [Fact]
    public void ImageStore_BeyondMaxImageBytes_EvictsUntilItFits()
    {
        var store = new ImageStore(Options.Create(new EmulatorOptions { MaxImageBytes = 1L << 20 }));
        var first = store.Add(new byte[600_000], ImageFormat.Png, 1, 1);
        var second = store.Add(new byte[600_000], ImageFormat.Png, 1, 1);

        Assert.False(store.TryGet(first.Id, out _));
        Assert.True(store.TryGet(second.Id, out _));
        Assert.Equal(600_000, store.TotalBytes);
    }

    [Fact]
    public void TaskRegistry_BeyondMaxTasks_ForgetsFinishedTasksButKeepsRunningInferences()
    {
        var registry = new TaskRegistry(Options.Create(new EmulatorOptions { MaxTasks = 100 }));
        var running = Guid.NewGuid();
        Assert.True(registry.TryRegister(running, new RegisteredTask(TaskTypes.ImageInference, "[]", NewJob())));
        var firstUpload = Guid.NewGuid();
        Assert.True(registry.TryRegister(firstUpload, new RegisteredTask(TaskTypes.ImageUpload, "[]")));
        for (var i = 0; i < 150; i++)
        {
            Assert.True(registry.TryRegister(Guid.NewGuid(), new RegisteredTask(TaskTypes.ImageUpload, "[]")));
        }

        Assert.Equal(100, registry.Count);
        Assert.True(registry.TryGet(running, out _));
        Assert.False(registry.TryGet(firstUpload, out _));
        Assert.False(registry.TryRegister(running, new RegisteredTask(TaskTypes.ImageUpload, "[]")));
    }

    [Fact]
    public void TaskRegistry_ConcurrentRegistrationsOfOneUuid_AcceptExactlyOne()
    {
        var registry = new TaskRegistry(Options.Create(new EmulatorOptions()));
        var id = Guid.NewGuid();

        var accepted = Enumerable.Range(0, 64).AsParallel().Count(_ => registry.TryRegister(id, new RegisteredTask(TaskTypes.ImageUpload, "[]")));

        Assert.Equal(1, accepted);
    }

    private static InferenceJob NewJob() => new(new InferenceRequest
    {
        TaskUuid = Guid.NewGuid().ToString(),
        Model = Models.Dev,
        Kind = ModelKind.Base,
        PositivePrompt = "x y",
        Width = 128,
        Height = 128,
        Seed = 1,
    }, "http://127.0.0.1");
}
