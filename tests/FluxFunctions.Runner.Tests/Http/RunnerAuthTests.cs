using FluxFunctions.Core.Configuration;
using FluxFunctions.Runner.Http;
using FluxFunctions.Testing;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Runner.Tests.Http;

/// <summary>The runner's key checks: refusing to start open by accident, and constant-time verification.</summary>
public sealed class RunnerAuthTests
{
    [Fact]
    public async Task Start_WithoutKeyOrAllowAnonymous_FailsNamingTheSettings()
    {
        await using var app = RunnerApp.Build(["--urls", $"http://127.0.0.1:{FreePort.Next()}"], b => b.Configuration["Runware:BaseUrl"] = "http://127.0.0.1:9/v1");

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Flux__ApiKeys__0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Flux__AllowAnonymous=true", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ShortKey_Fails()
    {
        var options = new FluxOptions();
        options.ApiKeys.Add("short");

        var result = new RunnerAuthValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Flux__ApiKeys__0 is shorter", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("short ", result.FailureMessage.Replace("shorter", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AllowAnonymousWithoutKey_Passes()
    {
        Assert.True(new RunnerAuthValidator().Validate(null, new FluxOptions { AllowAnonymous = true }).Succeeded);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("fedcba9876543210fedcba9876543210", true)]
    [InlineData("0123456789abcdef0123456789abcde", false)]
    [InlineData("0123456789abcdef0123456789abcdef0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValid_PresentedKey_MatchesOnlyConfiguredKeys(string? presented, bool valid)
    {
        var options = new FluxOptions();
        options.ApiKeys.Add("0123456789abcdef0123456789abcdef");
        options.ApiKeys.Add("fedcba9876543210fedcba9876543210");

        Assert.Equal(valid, new ApiKeyVerifier(Options.Create(options)).IsValid(presented));
    }

    [Fact]
    public void IsValid_AllowAnonymousButKeysConfigured_StillRequiresAKey()
    {
        var options = new FluxOptions { AllowAnonymous = true };
        options.ApiKeys.Add("0123456789abcdef0123456789abcdef");

        Assert.False(new ApiKeyVerifier(Options.Create(options)).IsValid(null));
    }
}
