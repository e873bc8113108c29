using System.Collections.Concurrent;
using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs.Models;
using FluxFunctions.Core.Configuration;
using FluxFunctions.Core.Jobs;
using FluxFunctions.Core.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace FluxFunctions.Runner.Watching;

/// <summary>
/// The runner's stand-in for the Functions blob trigger: lists the input container every
/// <c>Flux__WatchIntervalMs</c> and hands every new blob version (name + ETag) to the same <see cref="DropDispatcher"/>
/// the blob trigger uses. One runner watches at a time (blob lease); a checkpoint skips what was handled before a restart.
/// The checkpoint names every input blob, so it is written at most every <see cref="CheckpointEvery"/> while drops keep
/// coming, and when the runner stops: rewriting it after every pass cost a steady stream of drops a write the size of the
/// whole container every <c>Flux__WatchIntervalMs</c>. A crash loses at most that much of it, and the blobs it no longer
/// names are handed over again, which starts nothing twice (job ids are the blob's name and ETag).
/// <para>A large container takes long to list (10,000 names: about a second of Azurite's time), so the pause after a
/// pass is at least <see cref="PauseToListing"/> times as long as its listing took: the watcher never spends more than
/// a fifth of the storage service's time listing, whatever the interval.</para>
/// </summary>
public sealed partial class InputWatcher(
    FluxStorage storage,
    DropDispatcher dispatcher,
    DurableTaskClient client,
    WatchCheckpoint checkpoint,
    LeaderLease lease,
    IOptions<FluxOptions> options,
    ILogger<InputWatcher> logger) : BackgroundService
{
    /// <summary>The shortest time between two checkpoint writes while new blobs keep coming.</summary>
    public static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(30);

    /// <summary>The shortest pause after a pass, as a multiple of the time its listing took.</summary>
    public const int PauseToListing = 4;

    private const int Parallelism = 16;
    private readonly ConcurrentDictionary<string, string> seen = new(StringComparer.Ordinal);

    /// <summary>Completed listing passes (tests wait on it).</summary>
    public int Passes { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.WatchIntervalMs);
        var loaded = false;
        var lastRenew = DateTimeOffset.MinValue;
        var isLeader = false;
        var unsaved = false;
        var lastSave = DateTimeOffset.MinValue;
        var listing = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (DateTimeOffset.UtcNow - lastRenew > LeaderLease.Duration / 3 || !isLeader)
                {
                    await storage.EnsureContainersAsync(stoppingToken).ConfigureAwait(false);
                    var wasLeader = isLeader;
                    isLeader = await lease.TryHoldAsync(stoppingToken).ConfigureAwait(false);
                    lastRenew = DateTimeOffset.UtcNow;
                    if (isLeader && !wasLeader)
                    {
                        LogLeader(logger, storage.Options.InputContainer);
                        loaded = false;
                    }
                }

                if (isLeader)
                {
                    if (!loaded)
                    {
                        seen.Clear();
                        foreach (var (name, etag) in await checkpoint.LoadAsync(stoppingToken).ConfigureAwait(false))
                        {
                            seen[name] = etag;
                        }

                        loaded = true;
                    }

                    bool handled;
                    (handled, listing) = await PassAsync(stoppingToken).ConfigureAwait(false);
                    unsaved |= handled;
                    if (unsaved && DateTimeOffset.UtcNow - lastSave >= CheckpointEvery)
                    {
                        await SaveAsync(stoppingToken).ConfigureAwait(false);
                        (unsaved, lastSave) = (false, DateTimeOffset.UtcNow);
                    }

                    Passes++;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage unreachable (Azurite restarting, network): keep going; nothing is lost because the next pass lists again.
                LogPassFailed(logger, ex.GetType().Name, ex.Message);
                isLeader = false;
            }

            try
            {
                await Task.Delay(PauseAfter(listing, interval), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        if (isLeader && unsaved)
        {
            await SaveOnStopAsync().ConfigureAwait(false);
        }

        await lease.ReleaseAsync().ConfigureAwait(false);
    }

    private Task SaveAsync(CancellationToken cancellationToken) =>
        checkpoint.SaveAsync(new Dictionary<string, string>(seen, StringComparer.Ordinal), cancellationToken);

    /// <summary>The last write, on the way out: bounded, and never a reason for the stop to fail.</summary>
    private async Task SaveOnStopAsync()
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await SaveAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or Azure.RequestFailedException or Errors.TransientFluxException or Errors.PermanentFluxException)
        {
            LogSaveOnStopFailed(logger, ex.GetType().Name);
        }
    }

    /// <summary>The pause after a pass whose listing took <paramref name="listing"/>: the interval, or <see cref="PauseToListing"/> times the listing when that is longer.</summary>
    internal static TimeSpan PauseAfter(TimeSpan listing, TimeSpan interval) =>
        listing * PauseToListing > interval ? listing * PauseToListing : interval;

    /// <summary>One listing pass: whether something new was handled, and how long the listing took.</summary>
    private async Task<(bool Handled, TimeSpan Listing)> PassAsync(CancellationToken cancellationToken)
    {
        var fresh = new List<(string Name, string ETag)>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        var started = Stopwatch.GetTimestamp();
        await foreach (var item in storage.Inputs.GetBlobsAsync(new GetBlobsOptions(), cancellationToken).ConfigureAwait(false))
        {
            var etag = item.Properties.ETag?.ToString() ?? "";
            present.Add(item.Name);
            if (!seen.TryGetValue(item.Name, out var known) || known != etag)
            {
                fresh.Add((item.Name, etag));
            }
        }

        var listing = Stopwatch.GetElapsedTime(started);
        var removed = false;
        foreach (var name in seen.Keys)
        {
            if (!present.Contains(name))
            {
                removed |= seen.TryRemove(name, out _);
            }
        }

        if (fresh.Count == 0)
        {
            return (removed, listing);
        }

        // Images first. A job started in this pass finds every companion this listing saw when it first looks, so those
        // companions need not wake it (an event would cost the job a queue message and an orchestration episode); a
        // companion whose image's job was already running, or that came after the listing, still does.
        fresh.Sort((a, b) => Rank(a.Name).CompareTo(Rank(b.Name)));
        var startedNow = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        foreach (var group in fresh.GroupBy(f => Rank(f.Name)))
        {
            await Parallel.ForEachAsync(group, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (blob, ct) =>
            {
                var baseName = BaseName(blob.Name);
                if (Rank(blob.Name) == 1 && baseName is not null && startedNow.ContainsKey(baseName))
                {
                    seen[blob.Name] = blob.ETag;
                    LogHandled(logger, BlobNames.Printable(blob.Name), DropOutcome.Ignored);
                    return;
                }

                var outcome = await dispatcher.HandleAsync(client, blob.Name, blob.ETag, ct).ConfigureAwait(false);
                if (outcome == DropOutcome.Started && baseName is not null)
                {
                    startedNow[baseName] = true;
                }

                seen[blob.Name] = blob.ETag;
                LogHandled(logger, BlobNames.Printable(blob.Name), outcome);
            }).ConfigureAwait(false);
        }

        return (true, listing);
    }

    private static string? BaseName(string name) => DropName.TryParse(name, out var drop, out _) ? drop.BaseName : null;

    private static int Rank(string name) =>
        DropName.TryParse(name, out var drop, out _) && drop.Kind == DropKind.Image ? 0 : 1;

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "This runner now watches container {Container}")]
    private static partial void LogLeader(ILogger logger, string container);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Input {Blob}: {Outcome}")]
    private static partial void LogHandled(ILogger logger, string blob, DropOutcome outcome);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "The watcher's checkpoint could not be written on stop ({Type}); a restart hands the newest blobs over again")]
    private static partial void LogSaveOnStopFailed(ILogger logger, string type);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Watching the input container failed ({Type}: {Message}); retrying")]
    private static partial void LogPassFailed(ILogger logger, string type, string message);
}
