using FluxFunctions.Runner;
using FluxFunctions.Testing.Api;
using FluxFunctions.Testing.Webhooks;
using Microsoft.AspNetCore.Builder;

namespace FluxFunctions.Functions.Tests.Triggers;

/// <summary>
/// A runner (services and durable engine for the trigger methods) with webhooks on: a signing secret, callbacks allowed
/// to loopback, and Runware's webhook URL pointing at <see cref="RunwarePosts"/>, which only records the emulator's posts
/// — the tests hand them to the <c>RunwareWebhook</c> trigger method themselves. The fallback poll is far away, so a job
/// completes only through the trigger.
/// </summary>
public sealed class WebhookTriggerFixture : IAsyncLifetime
{
    public const string Secret = "trigger-webhook-secret-0123456789";

    private WebhookReceiver? runwarePosts;
    private WebhookReceiver? callbacks;
    private ConfiguredRunner? runner;

    /// <summary>Where the emulator posts results (recorded, answered 200, not forwarded).</summary>
    public WebhookReceiver RunwarePosts => runwarePosts ?? throw new InvalidOperationException("Not started.");

    /// <summary>The users' callback receiver (answers 200).</summary>
    public WebhookReceiver Callbacks => callbacks ?? throw new InvalidOperationException("Not started.");

    public RunnerFixture Runner => runner ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        runwarePosts = await WebhookReceiver.StartAsync();
        callbacks = await WebhookReceiver.StartAsync();
        runner = new ConfiguredRunner(new Dictionary<string, string>
        {
            ["Flux:WebhookSecret"] = Secret,
            ["Flux:AllowPrivateNetworkUrls"] = "true",
            ["Runware:WebhookBaseUrl"] = runwarePosts.BaseAddress.ToString(),
            ["Runware:WebhookFallbackSeconds"] = "600",
        });
        await runner.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (runner is not null)
        {
            await runner.DisposeAsync();
        }

        if (runwarePosts is not null)
        {
            await runwarePosts.DisposeAsync();
        }

        if (callbacks is not null)
        {
            await callbacks.DisposeAsync();
        }
    }

    private sealed class ConfiguredRunner(Dictionary<string, string> settings) : RunnerFixture
    {
        protected override WebApplication BuildRunner(string[] args, Action<WebApplicationBuilder> configure) =>
            RunnerApp.Build(args, b =>
            {
                configure(b);
                foreach (var (key, value) in settings)
                {
                    b.Configuration[key] = value;
                }
            });
    }
}
