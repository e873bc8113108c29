using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace FluxFunctions.Api;

/// <summary>Lets an Azure Functions HTTP trigger (which returns <see cref="IActionResult"/>) return the shared handlers' <see cref="IResult"/>.</summary>
public sealed class ResultActionResult(IResult result) : IActionResult
{
    public IResult Result { get; } = result;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Result.ExecuteAsync(context.HttpContext);
    }
}
