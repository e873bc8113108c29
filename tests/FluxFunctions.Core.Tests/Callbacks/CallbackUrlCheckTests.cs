using FluxFunctions.Core.Callbacks;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.UrlSafety;
using FluxFunctions.Errors;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Tests.Callbacks;

/// <summary>Which callback URLs a deployment accepts, for HTTP requests and blob options alike.</summary>
public sealed class CallbackUrlCheckTests
{
    [Theory]
    [InlineData("https://hooks.example.com/flux?token=abc", false, null)]
    [InlineData("http://hooks.example.com/flux", false, ErrorCodes.UnsafeUrl)]
    [InlineData("http://127.0.0.1:8080/flux", true, null)]
    [InlineData("https://127.0.0.1/flux", false, ErrorCodes.UnsafeUrl)]
    [InlineData("https://10.1.2.3/flux", false, ErrorCodes.UnsafeUrl)]
    [InlineData("https://169.254.169.254/latest", false, ErrorCodes.UnsafeUrl)]
    [InlineData("https://user:pw@hooks.example.com/flux", false, ErrorCodes.UnsafeUrl)]
    [InlineData("ftp://hooks.example.com/flux", true, ErrorCodes.UnsafeUrl)]
    public void Check_Url_FollowsTheNetworkPolicy(string url, bool allowPrivate, string? code)
    {
        var error = Check(allowPrivate).Check(url);

        if (code is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Equal(code, error?.Code);
            Assert.Equal("callbackUrl", error?.Parameter);
        }
    }

    [Fact]
    public void Check_NoWebhookSecret_IsRejectedNamingTheSetting()
    {
        var error = Check(false, secret: null).Check("https://hooks.example.com/flux");

        Assert.Equal(ErrorCodes.InvalidValue, error?.Code);
        Assert.Equal("callbackUrl", error?.Parameter);
        Assert.Contains("Flux__WebhookSecret", error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TooLong_IsRejected()
    {
        var error = Check(false).Check("https://hooks.example.com/" + new string('a', CallbackUrlCheck.MaxLength));

        Assert.Equal(ErrorCodes.InvalidValue, error?.Code);
    }

    [Fact]
    public void Check_NoUrl_IsFine() => Assert.Null(Check(false, secret: null).Check(null));

    private static CallbackUrlCheck Check(bool allowPrivate, string? secret = "a-webhook-secret-of-some-length") =>
        new(new UrlGuard(new NetworkUrlPolicy(allowPrivate)), Options.Create(new FluxOptions { WebhookSecret = secret, AllowPrivateNetworkUrls = allowPrivate }));
}
