using FluxFunctions.Errors;

namespace FluxFunctions.Core.Tests.Imaging;

/// <summary>Assertions on the bad-input errors of image handling.</summary>
internal static class Expect
{
    /// <summary>The action throws a <see cref="PermanentFluxException"/> whose first error has <paramref name="code"/>.</summary>
    public static FluxError Error(string code, Action action)
    {
        var exception = Assert.Throws<PermanentFluxException>(action);
        Assert.Equal(code, exception.First.Code);
        Assert.False(string.IsNullOrWhiteSpace(exception.First.Message));
        return exception.First;
    }
}
