using Amazon.S3;

namespace CellPainting.Stages.Download;

/// <summary>
/// Incremental, verified mirror of S3 prefixes into local folders. One sync lists every unit (ListObjectsV2, paged),
/// compares each object's ETag and size with the caller's records of the previous sync, and fetches only new or
/// changed objects (or those whose local copy is missing or has the wrong size) with bounded parallel GETs.
/// A sync with nothing to do issues list requests only. Failures never abort other objects; they are returned.
/// </summary>
public sealed class S3Synchronizer : IDisposable
{
    private readonly S3SyncOptions _options;
    private readonly AmazonS3Client _client;

    /// <summary>Creates the synchronizer and its S3 client (unsigned unless <see cref="S3SyncOptions.Profile"/> is set).</summary>
    public S3Synchronizer(S3SyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _client = S3ClientFactory.Create(options);
    }

    /// <summary>Synchronises <paramref name="units"/> and reports per-unit summaries, records, removals and failures.</summary>
    /// <param name="units">Units to sync; names must be unique.</param>
    /// <param name="previousRecords">Records of the previous sync keyed by full S3 key (empty on the first sync).</param>
    /// <param name="progress">Receives transfer progress; may be null.</param>
    /// <param name="cancellationToken">Cancels the whole sync; partial files are removed.</param>
    public async Task<SyncReport> SyncAsync(
        IReadOnlyList<SyncUnit> units,
        IReadOnlyDictionary<string, RemoteObjectRecord> previousRecords,
        IProgress<SyncProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(previousRecords);
        EnsureUniqueNames(units);

        var retry = new RetryRunner(_options.Retry);
        var lister = new ObjectLister(_client, _options, retry);
        var previousKeys = previousRecords.Keys.Order(StringComparer.Ordinal).ToArray();
        var plans = units.Select(unit => new UnitPlan(unit)).ToArray();

        await Parallel.ForEachAsync(
            plans,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelListings, CancellationToken = cancellationToken },
            async (plan, token) => await PlanUnitAsync(plan, lister, previousRecords, previousKeys, token).ConfigureAwait(false)).ConfigureAwait(false);

        var pending = plans.SelectMany(plan => plan.Pending).ToArray();
        var tracker = new ProgressTracker(progress, pending.Length, pending.Sum(item => item.Listed.Size));
        tracker.Report();

        var downloader = new ObjectDownloader(_client, _options, retry);
        await Parallel.ForEachAsync(
            pending,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelDownloads, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                try
                {
                    item.Result = await downloader.DownloadAsync(item.Listed, item.RelativeKey, item.LocalPath, tracker, token).ConfigureAwait(false);
                }
                catch (OperationFailedException failure)
                {
                    item.Failure = new SyncFailure(item.UnitName, item.Listed.Key, failure.Message, failure.Attempts);
                }

                tracker.ObjectFinished();
            }).ConfigureAwait(false);

        return BuildReport(plans, retry.Faults);
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private async Task PlanUnitAsync(
        UnitPlan plan,
        ObjectLister lister,
        IReadOnlyDictionary<string, RemoteObjectRecord> previousRecords,
        string[] previousKeys,
        CancellationToken cancellationToken)
    {
        var unit = plan.Unit;
        IReadOnlyList<ListedObject> listing;
        try
        {
            listing = await lister.ListAsync(unit.RemotePrefix, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationFailedException failure)
        {
            plan.Failures.Add(new SyncFailure(unit.Name, unit.RemotePrefix, $"Listing failed: {failure.Message}", failure.Attempts));
            return;
        }

        plan.ListingComplete = true;
        var listedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listed in listing)
        {
            listedKeys.Add(listed.Key);
            if (!listed.Key.StartsWith(unit.RemotePrefix, StringComparison.Ordinal))
            {
                plan.Failures.Add(new SyncFailure(unit.Name, listed.Key, $"The listing of '{unit.RemotePrefix}' returned a key outside that prefix.", 0));
                continue;
            }

            var relativeKey = listed.Key[unit.RemotePrefix.Length..];

            // Zero-byte "folder" objects some tools create; there is nothing to mirror.
            if ((relativeKey.Length == 0 || relativeKey.EndsWith('/')) && listed.Size == 0)
            {
                continue;
            }

            if (!SafeKeyPath.TryResolve(unit.LocalDirectory, relativeKey, out var localPath, out var refusal))
            {
                plan.Failures.Add(new SyncFailure(unit.Name, listed.Key, refusal, 0));
                continue;
            }

            if (!unit.Include(relativeKey))
            {
                continue;
            }

            plan.Selected.Add((relativeKey, listed.ETag, listed.Size));
            if (previousRecords.TryGetValue(listed.Key, out var previous)
                && string.Equals(ObjectVerifier.NormalizeETag(previous.ETag), listed.ETag, StringComparison.Ordinal)
                && previous.Size == listed.Size
                && LocalCopyHasSize(localPath, listed.Size, out var lastWriteTimeUtc))
            {
                plan.Current.Add(new SyncedObject(listed.Key, relativeKey, localPath, previous, lastWriteTimeUtc, Downloaded: false));
            }
            else
            {
                plan.Pending.Add(new PendingDownload(unit.Name, listed, relativeKey, localPath));
            }
        }

        foreach (var key in KeysUnder(previousKeys, unit.RemotePrefix))
        {
            if (!listedKeys.Contains(key))
            {
                plan.Removed.Add(HandleRemoved(plan, key));
            }
        }
    }

    private RemovedObject HandleRemoved(UnitPlan plan, string key)
    {
        var unit = plan.Unit;
        var relativeKey = key[unit.RemotePrefix.Length..];
        if (!_options.DeleteRemovedObjects)
        {
            return new RemovedObject(key, relativeKey, LocalCopyDeleted: false);
        }

        if (!SafeKeyPath.TryResolve(unit.LocalDirectory, relativeKey, out var localPath, out var refusal))
        {
            plan.Failures.Add(new SyncFailure(unit.Name, key, $"Not deleting the local copy of a removed object: {refusal}", 0));
            return new RemovedObject(key, relativeKey, LocalCopyDeleted: false);
        }

        try
        {
            if (!File.Exists(localPath))
            {
                return new RemovedObject(key, relativeKey, LocalCopyDeleted: false);
            }

            File.Delete(localPath);
            return new RemovedObject(key, relativeKey, LocalCopyDeleted: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            plan.Failures.Add(new SyncFailure(unit.Name, key, $"Could not delete the local copy of a removed object: {exception.Message}", 0));
            return new RemovedObject(key, relativeKey, LocalCopyDeleted: false);
        }
    }

    private SyncReport BuildReport(UnitPlan[] plans, IReadOnlyList<TransientFault> faults)
    {
        var reports = new List<SyncUnitReport>(plans.Length);
        var failures = new List<SyncFailure>();
        foreach (var plan in plans)
        {
            var objects = plan.Current
                .Concat(plan.Pending.Where(item => item.Result is not null).Select(item => item.Result!))
                .OrderBy(synced => synced.RelativeKey, StringComparer.Ordinal)
                .ToList();

            reports.Add(new SyncUnitReport(
                plan.Unit.Name,
                $"s3://{_options.Bucket}/{plan.Unit.RemotePrefix}",
                plan.Unit.LocalDirectory,
                plan.ListingComplete,
                plan.Selected.Count,
                plan.Selected.Sum(entry => entry.Size),
                plan.ListingComplete ? ManifestDigest.Compute(plan.Selected) : null,
                objects,
                plan.Removed));

            failures.AddRange(plan.Failures);
            failures.AddRange(plan.Pending.Where(item => item.Failure is not null).Select(item => item.Failure!).OrderBy(f => f.Key, StringComparer.Ordinal));
        }

        return new SyncReport(reports, failures, faults);
    }

    private static bool LocalCopyHasSize(string path, long size, out DateTime lastWriteTimeUtc)
    {
        var info = new FileInfo(path);
        lastWriteTimeUtc = info.Exists ? info.LastWriteTimeUtc : default;
        return info.Exists && info.Length == size;
    }

    // Keys sharing a prefix are contiguous in ordinal order; a binary search finds the run without scanning all records.
    private static IEnumerable<string> KeysUnder(string[] sortedKeys, string prefix)
    {
        var index = Array.BinarySearch(sortedKeys, prefix, StringComparer.Ordinal);
        for (var i = index >= 0 ? index : ~index; i < sortedKeys.Length && sortedKeys[i].StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            yield return sortedKeys[i];
        }
    }

    private static void EnsureUniqueNames(IReadOnlyList<SyncUnit> units)
    {
        if (units.Any(unit => unit is null))
        {
            throw new ArgumentException("Sync units must not be null.", nameof(units));
        }

        var duplicate = units.GroupBy(unit => unit.Name, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Sync unit names must be unique; '{duplicate.Key}' appears {duplicate.Count()} times.", nameof(units));
        }
    }
}
