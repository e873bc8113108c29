using FluxFunctions.Emulator.Configuration;
using FluxFunctions.Emulator.Faults;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Emulator.Tests.Configuration;

/// <summary>Settings are validated on start with messages naming the setting; the fault syntax is strict.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void FaultPlan_FullSyntax_ParsesEveryKindInOrder()
    {
        Assert.True(FaultPlan.TryParse(" 429:0.1, 500:0.05,hang:0.01,malformed:0.01,LOST:0.01 ", out var plan, out var error), error);

        Assert.Equal([FaultKind.RateLimited, FaultKind.ServerError, FaultKind.Hang, FaultKind.Malformed, FaultKind.Lost], plan.Rates.Select(r => r.Kind));
        Assert.Equal(0.05, plan.Rates[1].Rate);
        Assert.Equal(FaultKind.RateLimited, plan.Pick(0.05));
        Assert.Equal(FaultKind.ServerError, plan.Pick(0.12));
        Assert.Equal(FaultKind.None, plan.Pick(0.5));
    }

    [Theory]
    [InlineData("429", "kind:rate")]
    [InlineData("429:", "kind:rate")]
    [InlineData("teapot:0.1", "unknown fault kind 'teapot'")]
    [InlineData("429:abc", "between 0 and 1")]
    [InlineData("429:1.5", "between 0 and 1")]
    [InlineData("429:0.6,500:0.6", "at most 1")]
    [InlineData("429:0.1,429:0.2", "twice")]
    [InlineData("429:0.1,,500:0.1", "empty entry")]
    public void FaultPlan_BadSyntax_SaysWhatIsWrong(string text, string expected)
    {
        Assert.False(FaultPlan.TryParse(text, out var plan, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Empty(plan.Rates);
    }

    [Fact]
    public void FaultPlan_AccountAndForgetKinds_Parse()
    {
        Assert.True(FaultPlan.TryParse("402:0.1,403:0.1,forget:0.2", out var plan, out var error), error);

        Assert.Equal([FaultKind.NoCredit, FaultKind.Forbidden, FaultKind.Forget], plan.Rates.Select(r => r.Kind));
        Assert.Equal("402:0.1,403:0.1,forget:0.2", plan.ToString());
    }

    [Theory]
    [InlineData("UnknownTask", "Emulator:UnknownTask must be one of taskNotFound, empty, http400, http404, taskFailedOrNotFound (got 'missing')")]
    [InlineData("DuplicateTask", "Emulator:DuplicateTask must be one of reject, rejectOtherCode, accept (got 'missing')")]
    [InlineData("WebhookShape", "Emulator:WebhookShape must be one of perResult, perTask (got 'missing')")]
    public async Task StartAsync_UnknownDialectName_FailsNamingTheKeyAndTheAcceptedValues(string key, string expected)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EmulatorApp.StartAsync(configure: o =>
            typeof(EmulatorOptions).GetProperty(key)!.SetValue(o, "missing")));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BadVisibilityTtlAndRoundTrip_FailNamingTheSettings()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EmulatorApp.StartAsync(configure: o =>
        {
            o.VisibleAfterMs = -1;
            o.ResultTtlSeconds = 0;
            o.RoundTripMs = -1;
        }));

        Assert.Contains("Emulator:VisibleAfterMs must be between 0 and 3600000 (got -1)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Emulator:ResultTtlSeconds must be between 1 and 31536000 (got 0)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Emulator:RoundTripMs must be between 0 and 10000 (got -1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DialectFromCommandLine_IsBoundCaseInsensitively()
    {
        await using var app = EmulatorApp.Create(["--urls", "http://127.0.0.1:0", "--Emulator:UnknownTask=EMPTY", "--Emulator:DuplicateTask=Accept", "--Emulator:WebhookShape=pertask", "--Emulator:VisibleAfterMs=10"]);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var dialect = await http.GetStringAsync(new Uri("emulator/dialect", UriKind.Relative));
        await app.StopAsync();

        Assert.Equal("""{"unknownTask":"empty","duplicateTask":"accept","webhookShape":"perTask","visibleAfterMs":10}""", dialect);
    }

    [Fact]
    public async Task StartAsync_BadFaults_FailsNamingTheSetting()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EmulatorApp.StartAsync(configure: o => o.Faults = "429=0.1"));

        Assert.Contains("Emulator:Faults", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_SeveralBadSettings_ListsEachOne()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EmulatorApp.StartAsync(configure: o =>
        {
            o.LatencyMs = -1;
            o.MinDimension = 100;
            o.MaxDimension = 64;
            o.FillDrift = 300;
        }));

        Assert.Contains("Emulator:LatencyMs", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Emulator:MinDimension must be a multiple of 64", ex.Message, StringComparison.Ordinal);
        Assert.Contains("must not exceed Emulator:MaxDimension", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Emulator:FillDrift", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_CommandLineSettings_AreBoundAndValidated()
    {
        await using var app = EmulatorApp.Create(["--urls", "http://127.0.0.1:0", "--Emulator:MaxRecordedRequests=0"]);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Emulator:MaxRecordedRequests must be between 1 and 1000000 (got 0)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MinDimension_ChangesTheAcceptedSizes()
    {
        await using var emulator = await Support.TestEmulator.StartAsync(o => o.MinDimension = 512);
        var task = Support.RunwareTasks.Inference(Support.RunwareTasks.Dev, 256);

        var answer = await emulator.PostAsync(task);

        var error = answer.AssertRejected("invalidWidth", "width");
        Assert.Contains("from 512 to 2048", (string)error["message"]!, StringComparison.Ordinal);
    }
}
