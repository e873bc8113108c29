using FluxFunctions.Chaos;

return await ChaosRunner.RunAsync(args);
