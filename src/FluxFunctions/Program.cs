using FluxFunctions.Api;
using FluxFunctions.Core.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddFluxCore(builder.Configuration);
builder.Services.AddFluxApi();
builder.Build().Run();
