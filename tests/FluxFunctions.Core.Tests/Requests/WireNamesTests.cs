using System.Text.Json;
using FluxFunctions.Requests;

namespace FluxFunctions.Core.Tests.Requests;

/// <summary>The names options and settings accept are the names JSON writes, read from the enum members once.</summary>
public sealed class WireNamesTests
{
    [Fact]
    public void SafetyNames_AreTheJsonNames_EachWayRound()
    {
        foreach (var check in Enum.GetValues<SafetyCheck>())
        {
            var json = JsonSerializer.Serialize(check).Trim('"');
            Assert.Equal(json, SafetySpec.Name(check));
            Assert.Equal(check, SafetySpec.CheckNames[json.ToUpperInvariant()]);
        }

        foreach (var action in Enum.GetValues<SafetyAction>())
        {
            var json = JsonSerializer.Serialize(action).Trim('"');
            Assert.Equal(json, SafetySpec.Name(action));
            Assert.Equal(action, SafetySpec.ActionNames[json]);
        }

        Assert.Equal(["off", "outputs", "inputs-and-outputs"], SafetySpec.CheckNames.Keys);
        Assert.Equal(["fail", "quarantine", "record"], SafetySpec.ActionNames.Keys);
    }

    [Fact]
    public void EnumWithoutNames_IsRefusedAtFirstUse()
    {
        var ex = Assert.ThrowsAny<Exception>(() => WireNames<DayOfWeek>.Of(DayOfWeek.Monday));

        Assert.Contains("has no JsonStringEnumMemberName", (ex.InnerException ?? ex).Message, StringComparison.Ordinal);
    }
}
