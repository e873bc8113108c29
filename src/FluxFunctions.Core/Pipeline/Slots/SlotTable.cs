using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace FluxFunctions.Core.Pipeline;

/// <summary>One inference slot as the table holds it.</summary>
/// <param name="Index">The slot's number, 0 to capacity − 1.</param>
/// <param name="Holder">The taskUUID holding it, or null when free.</param>
/// <param name="Until">When the hold lapses if nobody gives it back (a job terminated from outside).</param>
/// <param name="ETag">The row's version, for the conditional write that takes or gives it.</param>
internal sealed record SlotRow(int Index, string? Holder, DateTimeOffset? Until, ETag ETag)
{
    /// <summary>Free, or held past its time.</summary>
    public bool IsFreeAt(DateTimeOffset now) => Holder is null || Until is null || Until < now;
}

/// <summary>
/// The deployment's inference slots as rows of one table partition (<c>Flux__SlotTable</c>, partition = the work
/// container): every host of a deployment shares them, and any host can give back a slot another took, because a row
/// names the taskUUID holding it. Every change is a conditional write on the row's ETag, so two hosts never take the
/// same slot. Rows that do not exist yet are created on first use.
/// </summary>
internal sealed class SlotTable(TableClient table, string partition, TimeProvider time)
{
    private readonly Lazy<Task> created = new(() => table.CreateIfNotExistsAsync());

    /// <summary>Creates the table if it does not exist (once per process).</summary>
    public Task EnsureAsync(CancellationToken cancellationToken) => created.Value.WaitAsync(cancellationToken);

    /// <summary>Every slot row that exists (missing numbers are free slots not written yet).</summary>
    public async Task<IReadOnlyList<SlotRow>> ReadAsync(CancellationToken cancellationToken)
    {
        await created.Value.ConfigureAwait(false);
        var rows = new List<SlotRow>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Row(entity));
        }

        return rows;
    }

    /// <summary>The slot <paramref name="taskUuid"/> holds, if any.</summary>
    public async Task<SlotRow?> FindAsync(string taskUuid, CancellationToken cancellationToken)
    {
        await created.Value.ConfigureAwait(false);
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Holder eq {taskUuid}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return Row(entity);
        }

        return null;
    }

    /// <summary>
    /// Writes <paramref name="holder"/> (null: free) into slot <paramref name="index"/> if it is still at
    /// <paramref name="etag"/> (null: the row must not exist yet). The new version, or null when someone else changed it first.
    /// </summary>
    public async Task<SlotRow?> TryWriteAsync(int index, ETag? etag, string? holder, TimeSpan hold, CancellationToken cancellationToken)
    {
        await created.Value.ConfigureAwait(false);
        var until = holder is null ? (DateTimeOffset?)null : time.GetUtcNow() + hold;
        var entity = new TableEntity(partition, Key(index)) { ["Holder"] = holder, ["Until"] = until };
        try
        {
            var response = etag is { } version
                ? await table.UpdateEntityAsync(entity, version, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)
                : await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return new SlotRow(index, holder, until, response.Headers.ETag ?? default);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    private static string Key(int index) => index.ToString("D4", CultureInfo.InvariantCulture);

    private static SlotRow Row(TableEntity entity) => new(
        int.Parse(entity.RowKey, CultureInfo.InvariantCulture),
        entity.GetString("Holder"),
        entity.GetDateTimeOffset("Until"),
        entity.ETag);
}
