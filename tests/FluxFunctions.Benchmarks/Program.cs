using BenchmarkDotNet.Running;
using FluxFunctions.Benchmarks.Driver;

// Default: the pipeline benchmark (scripts/bench.sh). "--micro [BenchmarkDotNet arguments]": the micro benchmarks.
if (args.Length > 0 && args[0] == "--micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(PipelineBench).Assembly).Run(args[1..]);
    return 0;
}

return await PipelineBench.RunAsync(args);
