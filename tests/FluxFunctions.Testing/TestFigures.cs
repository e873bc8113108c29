using System.Globalization;
using System.Text;

namespace FluxFunctions.Testing;

/// <summary>
/// Figures a test run reports (agreement rates, exactness, sizes): <c>name: value</c> lines appended to
/// <c>&lt;repo&gt;/.artifacts/test-figures.txt</c>, which <c>scripts/test.sh</c> clears first and prints before its
/// final count. Safe from parallel tests and from test projects running in parallel processes.
/// </summary>
public static class TestFigures
{
    private static readonly object Gate = new();

    /// <summary>The file the figures go to.</summary>
    public static string FilePath => Path.Combine(RepoPaths.Root, ".artifacts", "test-figures.txt");

    public static void Report(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        var line = $"{name.Trim()}: {value.ReplaceLineEndings(" ")}\n";
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    // FileShare.None locks the file against other processes (flock on Linux) while appending.
                    using var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.None);
                    stream.Write(bytes);
                    return;
                }
                catch (IOException) when (attempt < 200)
                {
                    Thread.Sleep(10);
                }
            }
        }
    }

    /// <summary>Reports a fraction as a percentage with the given number of decimals.</summary>
    public static void ReportPercent(string name, double fraction, int decimals = 3, string? detail = null)
    {
        var percent = (fraction * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " %";
        Report(name, detail is null ? percent : $"{percent} ({detail})");
    }
}
