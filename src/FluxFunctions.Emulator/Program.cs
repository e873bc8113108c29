// The Runware emulator: dotnet run --project src/FluxFunctions.Emulator -- --urls http://127.0.0.1:5380
await using var app = FluxFunctions.Emulator.EmulatorApp.Create(args);
await app.RunAsync();

/// <summary>The entry point (public so <c>WebApplicationFactory&lt;Program&gt;</c> can host the emulator).</summary>
public partial class Program;
