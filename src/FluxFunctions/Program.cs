using FluxFunctions.Api;
using FluxFunctions.Core.Composition;
using FluxFunctions.Core.Telemetry;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddFluxCore(builder.Configuration);
builder.Services.AddFluxApi();
builder.Services.AddFluxTelemetry(builder.Configuration, "FluxFunctions").UseFunctionsWorkerDefaults();
builder.Build().Run();
