using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Pipeline;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Core.Tests.Pipeline;

/// <summary>The per-job tokens of Runware's webhook URLs: stateless, the same on every host, good for one task of one job.</summary>
public sealed class RunwareWebhookTokensTests
{
    private const string Job = "a0123456789abcdef0123456789abcde";
    private const string OtherJob = "a1123456789abcdef0123456789abcde";
    private const string Task1 = "5f0c4b1e-8a57-4c1e-9d2a-0b6f3c7a9e11";
    private const string Task2 = "6a1d5c2f-9b68-4d2f-8e3b-1c7a4d8b0f22";

    [Fact]
    public void Create_SameSecretOnTwoHosts_SameToken()
    {
        Assert.Equal(Tokens("secret-one-0123456789").Create(Job, Task1), Tokens("secret-one-0123456789").Create(Job, Task1));
        Assert.Equal(Tokens("secret-one-0123456789").Create(Job, Task1), Tokens("secret-one-0123456789").Create(Job, Task1.ToUpperInvariant()));
    }

    [Fact]
    public void Create_OtherJobTaskOrSecret_OtherToken()
    {
        var token = Tokens("secret-one-0123456789").Create(Job, Task1);

        Assert.NotEqual(token, Tokens("secret-one-0123456789").Create(OtherJob, Task1));
        Assert.NotEqual(token, Tokens("secret-one-0123456789").Create(Job, Task2));
        Assert.NotEqual(token, Tokens("secret-two-0123456789").Create(Job, Task1));
        Assert.Equal(43, token.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
    }

    [Fact]
    public void IsValid_OnlyTheTokenOfThisJobAndTask()
    {
        var tokens = Tokens("secret-one-0123456789");
        var token = tokens.Create(Job, Task1);

        Assert.True(tokens.IsValid(Job, Task1, token));
        Assert.False(tokens.IsValid(OtherJob, Task1, token));
        Assert.False(tokens.IsValid(Job, Task2, token));
        Assert.False(tokens.IsValid(Job, Task1, token[..^1] + (token[^1] == 'A' ? 'B' : 'A')));
        Assert.False(tokens.IsValid(Job, Task1, token + "x"));
        Assert.False(tokens.IsValid(Job, Task1, ""));
        Assert.False(tokens.IsValid(Job, Task1, null));
        Assert.False(Tokens("secret-two-0123456789").IsValid(Job, Task1, token));
    }

    [Fact]
    public void IsValid_NoSecretConfigured_NothingIsValid()
    {
        var tokens = Tokens(null);

        Assert.False(tokens.IsConfigured);
        Assert.False(tokens.IsValid(Job, Task1, "anything"));
    }

    [Fact]
    public void WebhookUrl_IsTheRouteUnderTheBaseWithTheToken()
    {
        var tokens = Tokens("secret-one-0123456789");

        var url = tokens.WebhookUrl("https://flux.example.com/", Job, Task1);

        Assert.Equal($"https://flux.example.com/api/runware/webhook/{Job}?token={tokens.Create(Job, Task1)}", url.AbsoluteUri);
        Assert.Equal($"https://flux.example.com/api/runware/webhook/{Job}", RunwareWebhookTokens.DisplayUrl("https://flux.example.com", Job));
    }

    private static RunwareWebhookTokens Tokens(string? secret) => new(Options.Create(new FluxOptions { WebhookSecret = secret }));
}
