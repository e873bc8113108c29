using System.Text.Json;
using FluxFunctions.Imaging;

namespace FluxFunctions.Core.Tests.Imaging;

public sealed class FillPlacementTests
{
    [Fact]
    public void Serialize_RoundTrip_KeepsTheGeometry()
    {
        var placement = new FillPlacement(1400, 700, new PixelRect(200, 100, 900, 600), new PixelRect(0, 0, 1400, 700), 1408, 704);

        var json = JsonSerializer.Serialize(placement);
        var back = JsonSerializer.Deserialize<FillPlacement>(json);

        Assert.Equal(placement, back);
        Assert.True(back!.IsOutpaint);
        Assert.DoesNotContain("IsOutpaint", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Right", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_PreparationReport_IsPlainJson()
    {
        var report = new PreparationReport("fill", "JPEG 900×600, EXIF orientation 1", new PixelSize(900, 600), new PixelSize(1152, 768), false, 0.05, ["resized 900×600 → 1152×768"]);

        var json = JsonSerializer.Serialize(report);

        Assert.Contains("\"Sent\":{\"Width\":1152,\"Height\":768}", json, StringComparison.Ordinal);
        Assert.Equal(report.Steps, JsonSerializer.Deserialize<PreparationReport>(json)!.Steps);
    }
}
