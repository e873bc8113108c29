using System.Diagnostics;
using FluxFunctions.Errors;
using Microsoft.AspNetCore.Http;

namespace FluxFunctions.Api;

/// <summary>
/// RFC 7807 answers (<c>application/problem+json</c>): <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, and for
/// bad input an <c>errors</c> array of <see cref="FluxError"/> (<c>{code, message, parameter}</c>), every problem at once.
/// Never a stack trace, a key or a SAS token.
/// </summary>
public static class ApiProblems
{
    /// <summary>The content type of every problem answer.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>400: every problem with the request, each naming its field.</summary>
    public static IResult Invalid(IReadOnlyList<FluxError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var detail = errors.Count == 1 ? errors[0].Message : $"{errors.Count} problems: " + string.Join(" ", errors.Select((e, i) => $"({i + 1}) {e.Message}"));
        return Create(StatusCodes.Status400BadRequest, "The request is invalid.", detail, errors);
    }

    public static IResult Unauthorized() =>
        Create(StatusCodes.Status401Unauthorized, "A valid key is required.", "Send a key in the x-functions-key header or the code query parameter.");

    public static IResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found.", detail);

    public static IResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, "Conflict.", detail);

    public static IResult TooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"The limit is {limit} bytes (Flux__MaxRequestBytes); send large images as a URL or a blob: reference.");

    public static IResult UnsupportedMediaType(string? contentType) =>
        Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", $"Send application/json or multipart/form-data, not '{Clip(contentType ?? "(none)")}'.");

    public static IResult Unavailable(string detail) => Create(StatusCodes.Status503ServiceUnavailable, "Service unavailable.", detail);

    /// <summary>500 without internals: only a trace id to find the details in the operators' logs.</summary>
    public static IResult Internal() =>
        Create(StatusCodes.Status500InternalServerError, "An unexpected error occurred.", "The operators' logs have the details under the trace id of this answer.");

    /// <summary>A problem with any status code.</summary>
    public static IResult Create(int status, string title, string? detail = null, IReadOnlyList<FluxError>? errors = null) =>
        Results.Json(new ProblemBody(TypeFor(status), title, status, detail, errors, Activity.Current?.TraceId.ToString()), ApiJson.Options, ContentType, status);

    private static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => status >= 500 ? "https://tools.ietf.org/html/rfc9110#section-15.6.1" : "about:blank",
    };

    private static string Clip(string s) => s.Length <= 80 ? s : s[..80] + "…";

    private sealed record ProblemBody(string Type, string Title, int Status, string? Detail, IReadOnlyList<FluxError>? Errors, string? TraceId);
}
