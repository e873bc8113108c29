using FluxFunctions.Cli;

// Ctrl+C stops waiting (exit 130); the jobs already submitted go on running on the server.
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};

return await FluxCli.RunAsync(args, CliHost.FromProcess(), interrupt.Token);
