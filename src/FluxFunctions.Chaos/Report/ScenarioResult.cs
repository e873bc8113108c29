using System.Globalization;
using System.Text;

namespace FluxFunctions.Chaos.Report;

/// <summary>The figures of one scenario, all measured during the run. <see cref="Problems"/> lists each broken invariant.</summary>
internal sealed record ScenarioResult(
    string Scenario,
    int Jobs,
    int Completed,
    int FailedWithRecord,
    int Lost,
    int Duplicated,
    int PaidTwice,
    string Figures,
    double PeakRssMb,
    string Health,
    IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;

    public static ScenarioResult Crashed(string scenario, string reason) =>
        new(scenario, 0, 0, 0, 0, 0, 0, "-", 0, "-", [reason]);
}

/// <summary>Prints the summary table (Markdown, so it can be pasted as is).</summary>
internal static class SummaryTable
{
    public static string Render(IReadOnlyList<ScenarioResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| scenario | jobs | completed | failed (record) | lost | duplicated | paid twice | figures | runner peak RSS | health under load | verdict |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|");
        foreach (var r in results)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Jobs} | {r.Completed} | {r.FailedWithRecord} | {r.Lost} | {r.Duplicated} | {r.PaidTwice} | {r.Figures} | {(r.PeakRssMb > 0 ? r.PeakRssMb.ToString("0", CultureInfo.InvariantCulture) + " MiB" : "-")} | {r.Health} | {(r.Passed ? "PASS" : "FAIL")} |");
            sb.AppendLine();
        }

        foreach (var r in results.Where(r => !r.Passed))
        {
            foreach (var p in r.Problems)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"- {r.Scenario}: {p}");
            }
        }

        return sb.ToString();
    }
}
