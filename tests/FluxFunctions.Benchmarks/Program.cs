using BenchmarkDotNet.Running;
using FluxFunctions.Benchmarks.Driver;

// Default: the pipeline benchmark (scripts/bench.sh). "--micro [BenchmarkDotNet arguments]": the micro benchmarks.
if (args.Length > 0 && args[0] == "--micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(PipelineBench).Assembly).Run(args[1..]);
    return 0;
}

// "--batch-status [--images N]": the answer time of GET /api/batches/{tool}/{path} over N seeded images.
if (args.Length > 0 && args[0] == "--batch-status")
{
    var images = args.Length > 2 && args[1] == "--images" ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
    return await BatchStatusBench.RunAsync(images);
}

return await PipelineBench.RunAsync(args);
