using System.Collections.Frozen;
using System.Globalization;
using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Faults;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Protocol;

/// <summary>
/// Answers the faults that stop a request before its tasks run: 429, 500, hang (then 504), malformed, and the account
/// errors 402 and 403. <c>lost</c> and <c>forget</c> let the tasks run and are handled by the endpoint.
/// </summary>
internal sealed class FaultResponder(IOptions<EmulatorOptions> options)
{
    /// <summary>The truncated body of a <c>malformed</c> fault.</summary>
    public const string MalformedBody = "{\"data\":[{\"taskType\":\"imag";

    private static readonly FrozenDictionary<FaultKind, AccountError> AccountFaults = new Dictionary<FaultKind, AccountError>
    {
        [FaultKind.NoCredit] = AccountError.NoCredit,
        [FaultKind.Forbidden] = AccountError.Forbidden,
    }.ToFrozenDictionary();

    private readonly EmulatorOptions settings = options.Value;

    /// <summary>Answers a fault that stops the request; returns false for faults that let the tasks run.</summary>
    public async Task<bool> TryAnswerAsync(HttpResponse response, FaultKind fault, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (AccountFaults.TryGetValue(fault, out var account))
        {
            await ErrorBody.WriteAsync(response, account.Status, account.Code, account.Message, cancellationToken);
            return true;
        }

        switch (fault)
        {
            case FaultKind.RateLimited:
                response.Headers.RetryAfter = settings.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await ErrorBody.WriteAsync(response, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimitExceeded,
                    $"Too many requests (emulated fault '429'); retry after {settings.RetryAfterSeconds} s.", cancellationToken);
                return true;
            case FaultKind.ServerError:
                await ErrorBody.WriteAsync(response, StatusCodes.Status500InternalServerError, ErrorCodes.InternalServerError,
                    "Internal server error (emulated fault '500'); nothing was processed.", cancellationToken);
                return true;
            case FaultKind.Hang:
                await Task.Delay(settings.HangMs, cancellationToken);
                await ErrorBody.WriteAsync(response, StatusCodes.Status504GatewayTimeout, ErrorCodes.TimeoutProvider,
                    $"No answer within {settings.HangMs} ms (emulated fault 'hang'); nothing was processed.", cancellationToken);
                return true;
            case FaultKind.Malformed:
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/json";
                await response.WriteAsync(MalformedBody, cancellationToken);
                return true;
            default:
                return false;
        }
    }
}
