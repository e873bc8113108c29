using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Webhooks;
using FluxFunctions.Runware;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Tests.Webhooks;

/// <summary>The webhook settings are checked on start, across the Flux and Runware sections.</summary>
public sealed class WebhookOptionsTests
{
    [Fact]
    public void Validate_RunwareWebhookWithoutSecret_FailsNamingBothSettings()
    {
        var result = Validate(secret: null, webhookBase: "https://flux.example.com");

        Assert.True(result.Failed);
        Assert.Contains("Runware:WebhookBaseUrl", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Flux__WebhookSecret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShortSecret_FailsWithoutRepeatingIt()
    {
        var result = Validate(secret: "short-secret", webhookBase: null);

        Assert.True(result.Failed);
        Assert.DoesNotContain("short-secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("a-long-enough-secret", null)]
    [InlineData("a-long-enough-secret", "https://flux.example.com")]
    public void Validate_ConsistentSettings_Succeed(string? secret, string? webhookBase) =>
        Assert.True(Validate(secret, webhookBase).Succeeded);

    private static ValidateOptionsResult Validate(string? secret, string? webhookBase) =>
        new WebhookOptionsValidator(Options.Create(new RunwareOptions { WebhookBaseUrl = webhookBase is null ? null : new Uri(webhookBase) }))
            .Validate(null, new FluxOptions { WebhookSecret = secret });
}
