namespace FluxFunctions.Core;

/// <summary>Two pieces of work under way side by side, awaited as one.</summary>
internal static class Together
{
    /// <summary>
    /// Both results once both tasks have ended. Neither failure goes unobserved; when both fail, the first task's error
    /// is the one thrown (as <see cref="Task.WhenAll(Task[])"/> orders them).
    /// </summary>
    public static async Task<(T1 First, T2 Second)> Async<T1, T2>(Task<T1> first, Task<T2> second)
    {
        await Task.WhenAll(first, second).ConfigureAwait(false);
        return (await first.ConfigureAwait(false), await second.ConfigureAwait(false));
    }
}
