using System.Globalization;
using System.Text.Json.Nodes;

namespace FluxFunctions.Chaos.Jobs;

/// <summary>One Runware task as the emulator recorded it.</summary>
internal sealed record RecordedTask(long Seq, DateTimeOffset Time, int Status, string? Fault, string TaskType, string TaskUuid);

/// <summary>Figures read from the emulator's recorded requests and the runner's logs (never typed in).</summary>
internal static class Evidence
{
    /// <summary>The tasks of every recorded request (a request may carry several).</summary>
    public static List<RecordedTask> Tasks(JsonArray requests)
    {
        var tasks = new List<RecordedTask>();
        foreach (var r in requests)
        {
            if (r?["body"] is not JsonArray body)
            {
                continue;
            }

            var time = DateTimeOffset.Parse((string)r["time"]!, CultureInfo.InvariantCulture);
            foreach (var t in body)
            {
                tasks.Add(new RecordedTask((long)r["seq"]!, time, (int)r["status"]!, (string?)r["fault"], (string?)t?["taskType"] ?? "", (string?)t?["taskUUID"] ?? ""));
            }
        }

        return tasks;
    }

    /// <summary>
    /// Inferences paid more than once: an accepted imageInference whose task UUID no manifest or failure record knows (the
    /// job submitted again under another UUID and threw this result away), plus the same UUID accepted twice.
    /// </summary>
    public static (int PaidTwice, int Accepted) PaidTwice(List<RecordedTask> tasks, Outcomes outcomes)
    {
        var accepted = tasks.Where(t => t.TaskType == "imageInference" && t.Status == 200 && t.Fault is null).ToList();
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var o in outcomes.Manifests.Concat(outcomes.Failures))
        {
            CollectUuids(o.Json["runware"], known);
        }

        var distinct = accepted.Select(t => t.TaskUuid).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var orphans = distinct.Count(u => !known.Contains(u));
        return (orphans + (accepted.Count - distinct.Count), distinct.Count);
    }

    /// <summary>Accepted imageInference requests beyond one per task UUID.</summary>
    public static int AcceptedTwice(List<RecordedTask> tasks)
    {
        var accepted = tasks.Where(t => t.TaskType == "imageInference" && t.Status == 200 && t.Fault is null).ToList();
        return accepted.Count - accepted.Select(t => t.TaskUuid).Distinct(StringComparer.OrdinalIgnoreCase).Count();
    }

    /// <summary>After each 429, the gap until the same task came back, against the Retry-After the emulator sent.</summary>
    public static (int Rated, int Honoured, double MinGapSeconds) RetryAfter(List<RecordedTask> tasks, int retryAfterSeconds)
    {
        var rated = 0;
        var honoured = 0;
        var minGap = double.MaxValue;
        foreach (var t in tasks.Where(t => t.Fault == "429"))
        {
            var next = tasks.FirstOrDefault(n => n.Seq > t.Seq && n.TaskUuid == t.TaskUuid);
            if (next is null)
            {
                continue;
            }

            rated++;
            var gap = (next.Time - t.Time).TotalSeconds;
            minGap = Math.Min(minGap, gap);
            if (gap >= retryAfterSeconds - 0.05)
            {
                honoured++;
            }
        }

        return (rated, honoured, rated == 0 ? 0 : minGap);
    }

    /// <summary>Hung requests the runner gave up on (the emulator saw the client leave) and the ones sent again.</summary>
    public static (int Hung, int TimedOut, int Retried) Hangs(List<RecordedTask> tasks)
    {
        var hung = tasks.Where(t => t.Fault == "hang").ToList();
        var timedOut = hung.Where(t => t.Status == 499).ToList();
        var retried = timedOut.Count(t => tasks.Any(n => n.Seq > t.Seq && n.TaskUuid == t.TaskUuid));
        return (hung.Count, timedOut.Count, retried);
    }

    /// <summary>Lines of the log files that contain <paramref name="text"/>.</summary>
    public static int CountInLogs(IEnumerable<string> files, string text) =>
        files.Sum(f => ReadShared(f).Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal)));

    public static string ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void CollectUuids(JsonNode? node, HashSet<string> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, v) in o)
                {
                    CollectUuids(v, into);
                }

                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    CollectUuids(v, into);
                }

                break;
            case JsonValue v when v.TryGetValue<string>(out var s) && Guid.TryParse(s, out _):
                into.Add(s);
                break;
        }
    }
}
