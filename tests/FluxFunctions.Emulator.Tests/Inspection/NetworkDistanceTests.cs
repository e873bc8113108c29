using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluxFunctions.Emulator.Tests.Support;
using static FluxFunctions.Emulator.Tests.Support.RunwareTasks;

namespace FluxFunctions.Emulator.Tests.Inspection;

/// <summary>
/// <c>Emulator:RoundTripMs</c> and <c>/emulator/network</c>: Runware's requests and image downloads each take the round
/// trip, the inspection routes do not; the switch changes it at run time and goes back to the setting.
/// </summary>
public sealed class NetworkDistanceTests
{
    [Fact]
    public async Task RoundTrip_RunwareRequestsAndImageDownloadsTakeIt_InspectionRoutesDoNot()
    {
        const int trip = 800;
        await using var emulator = await TestEmulator.StartAsync(o => o.RoundTripMs = trip);

        var upload = Stopwatch.StartNew();
        await emulator.UploadAsync(TestImages.Gradient(128, 128));
        var uploaded = upload.Elapsed;

        var answer = await emulator.PostAsync(Inference(Dev, 128));
        answer.AssertOk();
        var download = Stopwatch.StartNew();
        await emulator.GetImageAsync((string)answer.Data[0]!["imageURL"]!);
        var downloaded = download.Elapsed;

        var stats = Stopwatch.StartNew();
        await emulator.StatsAsync();
        var inspected = stats.Elapsed;

        Assert.True(uploaded >= TimeSpan.FromMilliseconds(trip), $"an imageUpload took {uploaded.TotalMilliseconds:F0} ms, less than the {trip} ms round trip");
        Assert.True(downloaded >= TimeSpan.FromMilliseconds(trip), $"an image download took {downloaded.TotalMilliseconds:F0} ms, less than the {trip} ms round trip");
        Assert.True(inspected < TimeSpan.FromMilliseconds(trip), $"GET /emulator/stats took {inspected.TotalMilliseconds:F0} ms: the inspection routes must not travel");
    }

    [Fact]
    public async Task NetworkSwitch_PutThenDelete_ChangesTheRoundTripAtRunTimeAndRestoresTheSetting()
    {
        await using var emulator = await TestEmulator.StartAsync();
        Assert.Equal(0, (int)(await emulator.Http.GetFromJsonAsync<JsonObject>("emulator/network"))!["roundTripMs"]!);

        var put = await emulator.Http.PutAsJsonAsync("emulator/network", new { roundTripMs = 600 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var upload = Stopwatch.StartNew();
        await emulator.UploadAsync(TestImages.Gradient(64, 64));
        Assert.True(upload.Elapsed >= TimeSpan.FromMilliseconds(600), $"an imageUpload took {upload.Elapsed.TotalMilliseconds:F0} ms after the switch to 600 ms");

        Assert.Equal(HttpStatusCode.BadRequest, (await emulator.Http.PutAsJsonAsync("emulator/network", new { roundTripMs = -1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await emulator.Http.PutAsJsonAsync("emulator/network", new { roundTripMs = 10_001 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await emulator.Http.PutAsJsonAsync("emulator/network", new { roundTripMs = 5, jitterMs = 1 })).StatusCode);
        Assert.Equal(600, (int)(await emulator.Http.GetFromJsonAsync<JsonObject>("emulator/network"))!["roundTripMs"]!);

        var restored = await (await emulator.Http.DeleteAsync(new Uri("emulator/network", UriKind.Relative))).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(0, (int)restored!["roundTripMs"]!);
    }
}
