namespace FluxFunctions.Cli.Batch;

/// <summary>How many jobs of a batch are queued (here or on the server), running, done and failed.</summary>
internal sealed record BatchCounts(int Queued, int Running, int Done, int Failed)
{
    public static BatchCounts Of(IReadOnlyCollection<BatchRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int queued = 0, running = 0, done = 0, failed = 0;
        foreach (var row in rows)
        {
            switch (row.Phase)
            {
                case BatchPhase.Waiting or BatchPhase.Submitting or BatchPhase.Pending: queued++; break;
                case BatchPhase.Running or BatchPhase.Downloading: running++; break;
                case BatchPhase.Completed: done++; break;
                default: failed++; break;
            }
        }

        return new BatchCounts(queued, running, done, failed);
    }
}
