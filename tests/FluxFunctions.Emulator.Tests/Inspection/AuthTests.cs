using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Inspection;

/// <summary><c>Emulator:ApiKey</c>: when set, only <c>Bearer &lt;key&gt;</c> (or an authentication task) gets in.</summary>
public sealed class AuthTests
{
    private const string Key = "rw-test-key-0123456789";
    private static readonly string Photo = TestImages.DataUri(TestImages.Gradient(128, 128));

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    [InlineData("Basic " + Key)]
    [InlineData(Key)]
    public async Task Post_WithoutTheRightBearerKey_IsInvalidApiKey(string? authorization)
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ApiKey = Key);

        var answer = await emulator.SendAsync("[" + Upload(Photo).ToJsonString() + "]", r =>
        {
            if (authorization is not null)
            {
                r.Headers.TryAddWithoutValidation("Authorization", authorization);
            }
        });

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("invalidApiKey", (string?)answer.SingleError()["code"]);
        Assert.DoesNotContain(Key, answer.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(0, TestEmulator.Stat(await emulator.StatsAsync(), "uploads"));
    }

    [Fact]
    public async Task Post_WithTheBearerKey_IsServed()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ApiKey = Key);

        var answer = await emulator.SendAsync("[" + Upload(Photo).ToJsonString() + "]",
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key));

        answer.AssertOk();
    }

    [Fact]
    public async Task Post_WithAnAuthenticationTask_IsServed()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ApiKey = Key);
        var authentication = new JsonObject { ["taskType"] = "authentication", ["apiKey"] = Key };

        var answer = await emulator.PostAsync(authentication, Upload(Photo));

        answer.AssertOk();
        Assert.Equal("imageUpload", (string?)answer.SingleData()["taskType"]);
    }

    [Fact]
    public async Task Post_NoKeyConfigured_ServesRequestsWithoutAuthorization()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var answer = await emulator.PostAsync(Upload(Photo));

        answer.AssertOk();
    }

    [Fact]
    public async Task InspectionRoutes_WithKeyConfigured_NeedNoKey()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ApiKey = Key);

        using var health = await emulator.Http.GetAsync(new Uri("emulator/health", UriKind.Relative));
        using var stats = await emulator.Http.GetAsync(new Uri("emulator/stats", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
    }
}
