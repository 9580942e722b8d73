using CellPainting.Engine.Items;

namespace CellPainting.Stages.Download;

/// <summary>
/// Incremental, verified mirror of S3 prefixes into local folders, in two steps. Planning lists every unit
/// (ListObjectsV2, paged) and compares each object's ETag and size with the caller's records of the previous sync;
/// executing fetches only new or changed objects (or those whose local copy is missing or has the wrong size) with
/// bounded parallel GETs. A sync with nothing to do issues list requests only; a dry run plans and stops there.
/// Failures never abort other objects; they are returned.
/// </summary>
public sealed class S3Synchronizer : IDisposable
{
    private readonly S3SyncOptions _options;
    private readonly IS3Transport _transport;

    /// <summary>
    /// Creates the synchronizer and its S3 transport: plain unsigned HTTP, or the SDK signing with
    /// <see cref="S3SyncOptions.Profile"/> when one is set.
    /// </summary>
    public S3Synchronizer(S3SyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _transport = S3ClientFactory.CreateTransport(options);
    }

    /// <summary>Plans and carries out a sync: <see cref="PlanAsync"/> then <see cref="ExecuteAsync"/>.</summary>
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
        var plan = await PlanAsync(units, previousRecords, cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(plan, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Lists every unit and compares the listing with <paramref name="previousRecords"/>: which objects are current,
    /// which must be fetched and why, which disappeared remotely. Issues list requests only and writes nothing.
    /// </summary>
    /// <param name="units">Units to plan; names must be unique.</param>
    /// <param name="previousRecords">Records of the previous sync keyed by full S3 key (empty on the first sync).</param>
    /// <param name="cancellationToken">Cancels the listings.</param>
    public async Task<SyncPlan> PlanAsync(
        IReadOnlyList<SyncUnit> units,
        IReadOnlyDictionary<string, RemoteObjectRecord> previousRecords,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(previousRecords);
        EnsureUniqueNames(units);

        var retry = new RetryRunner(_options.Retry);
        var lister = new ObjectLister(_transport, _options, retry);
        var previousKeys = previousRecords.Keys.Order(StringComparer.Ordinal).ToArray();
        var plans = units.Select(unit => new UnitPlan(unit, _options.Bucket)).ToArray();

        await Parallel.ForEachAsync(
            plans,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelListings, CancellationToken = cancellationToken },
            async (plan, token) => await PlanUnitAsync(plan, lister, previousRecords, previousKeys, token).ConfigureAwait(false)).ConfigureAwait(false);

        return new SyncPlan(_options.Bucket, plans, retry.Faults);
    }

    /// <summary>
    /// Carries out <paramref name="plan"/>: fetches its pending objects with bounded parallel GETs, deletes local
    /// copies of removed objects when <see cref="S3SyncOptions.DeleteRemovedObjects"/> says so, and reports per unit.
    /// </summary>
    /// <param name="plan">A plan of this synchronizer's bucket, from <see cref="PlanAsync"/>.</param>
    /// <param name="progress">Receives transfer progress; may be null. The last report comes after every other.</param>
    /// <param name="cancellationToken">Cancels the transfers; partial files are removed.</param>
    public async Task<SyncReport> ExecuteAsync(SyncPlan plan, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Bucket != _options.Bucket)
        {
            throw new ArgumentException($"The plan lists bucket '{plan.Bucket}' but this synchronizer syncs '{_options.Bucket}'.", nameof(plan));
        }

        var retry = new RetryRunner(_options.Retry);
        var pending = plan.Units.SelectMany(unit => unit.Pending).ToArray();
        var results = new SyncedObject?[pending.Length];
        var failures = new SyncFailure?[pending.Length];
        var tracker = new ProgressTracker(progress, pending.Length, pending.Sum(item => item.Size));
        tracker.Report();

        var downloader = new ObjectDownloader(_transport, _options, retry);
        await Parallel.ForAsync(
            0,
            pending.Length,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelDownloads, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var item = pending[index];
                try
                {
                    results[index] = await downloader.DownloadAsync(item.Listed, item.RelativeKey, item.LocalPath, tracker, token).ConfigureAwait(false);
                }
                catch (OperationFailedException failure)
                {
                    failures[index] = new SyncFailure(item.UnitName, item.Key, failure.Message, failure.Attempts);
                }

                tracker.ObjectFinished();
            }).ConfigureAwait(false);

        // Reports from parallel transfers may arrive out of order; this one is the last and has the final counts.
        tracker.Report();
        return BuildReport(plan, results, failures, [.. plan.TransientFaults, .. retry.Faults]);
    }

    /// <summary>
    /// The body of one listed version of an object, in memory, verified as a sync verifies what it writes (pinned to
    /// the ETag, length and single-part MD5 checked, retried under the policy), with its SHA-256.
    /// </summary>
    public Task<RemoteBytes> FetchAsync(string key, string etag, long size, CancellationToken cancellationToken = default) =>
        new ObjectDownloader(_transport, _options, new RetryRunner(_options.Retry)).FetchAsync(new ListedObject(key, etag, size), cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    private static async Task PlanUnitAsync(
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
            plan.FailureList.Add(new SyncFailure(unit.Name, unit.RemotePrefix, $"Listing failed: {failure.Message}", failure.Attempts));
            return;
        }

        plan.ListingComplete = true;
        var listedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listed in listing)
        {
            listedKeys.Add(listed.Key);
            if (!listed.Key.StartsWith(unit.RemotePrefix, StringComparison.Ordinal))
            {
                plan.FailureList.Add(new SyncFailure(unit.Name, listed.Key, $"The listing of '{unit.RemotePrefix}' returned a key outside that prefix.", 0));
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
                plan.FailureList.Add(new SyncFailure(unit.Name, listed.Key, refusal, 0));
                continue;
            }

            if (!unit.Include(relativeKey))
            {
                continue;
            }

            plan.SelectedEntries.Add((relativeKey, listed.ETag, listed.Size));
            previousRecords.TryGetValue(listed.Key, out var previous);
            var unchanged = previous is not null
                && string.Equals(ObjectVerifier.NormalizeETag(previous.ETag), listed.ETag, StringComparison.Ordinal)
                && previous.Size == listed.Size;
            if (unit.Fetch == FetchPolicy.None)
            {
                var record = unchanged ? previous! : new RemoteObjectRecord(listed.ETag, listed.Size, Sha256: null);
                plan.CurrentObjects.Add(new SyncedObject(listed.Key, relativeKey, localPath, record, default, Downloaded: false));
            }
            else if (previous is null)
            {
                plan.PendingObjects.Add(new PendingDownload(unit.Name, listed, relativeKey, localPath, FetchReason.New));
            }
            else if (!unchanged)
            {
                plan.PendingObjects.Add(new PendingDownload(unit.Name, listed, relativeKey, localPath, FetchReason.Changed));
            }
            else if (previous.Sha256 is null)
            {
                plan.PendingObjects.Add(new PendingDownload(unit.Name, listed, relativeKey, localPath, FetchReason.DigestUnknown));
            }
            else if (!LocalCopyHasSize(localPath, listed.Size, out var lastWriteTimeUtc))
            {
                if (unit.Fetch == FetchPolicy.UnknownDigests && lastWriteTimeUtc == default)
                {
                    // Known by its recorded digest and not here: the builds that need its bytes fetch them.
                    plan.CurrentObjects.Add(new SyncedObject(listed.Key, relativeKey, localPath, previous, default, Downloaded: false));
                    plan.OnDemandCount++;
                    continue;
                }

                plan.PendingObjects.Add(new PendingDownload(unit.Name, listed, relativeKey, localPath, FetchReason.LocalCopyMissing));
            }
            else
            {
                plan.CurrentObjects.Add(new SyncedObject(listed.Key, relativeKey, localPath, previous, lastWriteTimeUtc, Downloaded: false));
            }
        }

        plan.RemovedKeyList.AddRange(KeysUnder(previousKeys, unit.RemotePrefix).Where(key => !listedKeys.Contains(key)));
    }

    private RemovedObject HandleRemoved(UnitPlan plan, string key, List<SyncFailure> failures)
    {
        var unit = plan.Unit;
        var relativeKey = key[unit.RemotePrefix.Length..];
        if (!_options.DeleteRemovedObjects)
        {
            return new RemovedObject(key, relativeKey, LocalCopyDeleted: false);
        }

        if (!SafeKeyPath.TryResolve(unit.LocalDirectory, relativeKey, out var localPath, out var refusal))
        {
            failures.Add(new SyncFailure(unit.Name, key, $"Not deleting the local copy of a removed object: {refusal}", 0));
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
            failures.Add(new SyncFailure(unit.Name, key, $"Could not delete the local copy of a removed object: {exception.Message}", 0));
            return new RemovedObject(key, relativeKey, LocalCopyDeleted: false);
        }
    }

    // Pending objects of all units lie in one array, unit after unit, in plan order: results are found by position.
    private SyncReport BuildReport(SyncPlan plan, SyncedObject?[] results, SyncFailure?[] transferFailures, IReadOnlyList<TransientFault> faults)
    {
        var reports = new List<SyncUnitReport>(plan.Units.Count);
        var failures = new List<SyncFailure>();
        var offset = 0;
        foreach (var unitPlan in plan.Units)
        {
            var count = unitPlan.Pending.Count;
            var objects = unitPlan.Current
                .Concat(results.Skip(offset).Take(count).OfType<SyncedObject>())
                .OrderBy(synced => synced.RelativeKey, StringComparer.Ordinal)
                .ToList();

            failures.AddRange(unitPlan.Failures);
            var removed = unitPlan.RemovedKeys.Select(key => HandleRemoved(unitPlan, key, failures)).ToList();
            failures.AddRange(transferFailures.Skip(offset).Take(count).OfType<SyncFailure>().OrderBy(f => f.Key, StringComparer.Ordinal));
            offset += count;

            reports.Add(new SyncUnitReport(
                unitPlan.Unit.Name,
                unitPlan.SourceUrl,
                unitPlan.Unit.LocalDirectory,
                unitPlan.ListingComplete,
                unitPlan.ObjectCount,
                unitPlan.TotalBytes,
                unitPlan.Digest,
                objects,
                removed)
            {
                Fetch = unitPlan.Unit.Fetch,
                OnDemand = unitPlan.OnDemand,
            });
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
