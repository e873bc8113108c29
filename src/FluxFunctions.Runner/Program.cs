using FluxFunctions.Runner;

await RunnerApp.Build(args).RunAsync();

/// <summary>Entry point (kept public for WebApplicationFactory).</summary>
public partial class Program;
