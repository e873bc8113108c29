namespace FluxFunctions.Emulator;

/// <summary>An emulator started in-process by <see cref="EmulatorApp.StartAsync"/>; dispose it to stop it.</summary>
public sealed class RunningEmulator : IAsyncDisposable
{
    private readonly WebApplication app;

    internal RunningEmulator(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The bound root, e.g. <c>http://127.0.0.1:41234/</c> (inspection routes live under <c>emulator/</c>).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The Runware REST endpoint to use as <c>Runware__BaseUrl</c>, e.g. <c>http://127.0.0.1:41234/v1</c>.</summary>
    public Uri ApiUrl => new(BaseAddress, "v1");

    /// <summary>The emulator's services (for tests that need to look inside).</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>Stops the server and releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await app.StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
