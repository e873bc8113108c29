using FluxFunctions.Demo;

return await DemoRunner.RunAsync(args);
