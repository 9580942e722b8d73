using System.Diagnostics;
using CellPainting.Engine.Execution;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Verification;

/// <summary>
/// Rebuilds a sample of a stage's items with the real stage into a scratch folder, with a throwaway workspace (its
/// own stat cache and build log), and checks that they reproduce the hashes the lock records. The real outputs,
/// the lock and the data root's state are not touched.
/// </summary>
public sealed class SampleRebuild
{
    private readonly string scratchFolder;
    private readonly int parallelism;
    private readonly IBuildObserver observer;

    public SampleRebuild(string scratchFolder, int parallelism, IBuildObserver observer)
    {
        ArgumentException.ThrowIfNullOrEmpty(scratchFolder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parallelism);
        ArgumentNullException.ThrowIfNull(observer);
        this.scratchFolder = Path.GetFullPath(scratchFolder);
        this.parallelism = parallelism;
        this.observer = observer;
    }

    /// <param name="sample">Items of <paramref name="stage"/>'s plan, each recorded in <paramref name="locked"/>.</param>
    /// <param name="compare">Consulted for outputs that are not byte-identical; without it, any difference is a finding.</param>
    public SampleResult Run(IStage stage, IReadOnlyList<WorkItem> sample, IReadOnlyDictionary<string, ManifestLine> locked, OutputComparer? compare = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(locked);
        var clock = Stopwatch.StartNew();
        string folder = Path.Combine(scratchFolder, stage.Name);
        WorkItem[] redirected = sample.Select((item, index) => ScratchStage.Redirect(item, index, folder)).ToArray();
        var workspace = new Workspace(Path.Combine(scratchFolder, "state"), parallelism);
        StageReport report = new StageRunner(workspace, observer).Run(ScratchStage.For(stage, redirected), dryRun: false);
        var records = report.CurrentRecords.ToDictionary(record => record.ItemId, StringComparer.Ordinal);

        var findings = new List<VerificationFinding>();
        var equivalent = new List<EquivalentOutput>();
        int identical = 0;
        for (int index = 0; index < sample.Count; index++)
        {
            WorkItem original = sample[index];
            ManifestLine line = locked.GetValueOrDefault(original.Id)
                ?? throw new ArgumentException($"Sampled item {original.Id} is not recorded in the lock.", nameof(sample));
            if (!records.TryGetValue(original.Id, out BuildRecord? record))
            {
                string error = report.Outcomes.First(outcome => outcome.ItemId == original.Id).Error;
                findings.Add(new VerificationFinding(original.Id, FindingKind.NotReproduced, $"the rebuild failed: {error}"));
                continue;
            }

            if (record.Fingerprint != line.Fingerprint)
            {
                findings.Add(new VerificationFinding(
                    original.Id,
                    FindingKind.Stale,
                    $"its inputs or parameters are not those the lock records (fingerprint {HashText.Short(record.Fingerprint)}, the lock records {HashText.Short(line.Fingerprint)})"));
                continue;
            }

            int before = findings.Count + equivalent.Count;
            foreach ((ItemOutput recordedOutput, ItemOutput rebuiltOutput) in original.Outputs.Zip(redirected[index].Outputs))
            {
                string? recordedHash = line.Outputs.FirstOrDefault(output => output.Name == recordedOutput.Name).Hash;
                string rebuiltHash = record.Outputs.First(output => output.Name == recordedOutput.Name).Hash;
                if (recordedHash != rebuiltHash)
                {
                    Compare(original.Id, recordedOutput, rebuiltOutput, recordedHash, rebuiltHash, compare, findings, equivalent);
                }
            }

            if (findings.Count + equivalent.Count == before)
            {
                identical++;
            }
        }

        return new SampleResult(stage.Name, sample.Count, identical, equivalent, findings, clock.Elapsed);
    }

    private static void Compare(
        string itemId,
        ItemOutput recorded,
        ItemOutput rebuilt,
        string? recordedHash,
        string rebuiltHash,
        OutputComparer? compare,
        List<VerificationFinding> findings,
        List<EquivalentOutput> equivalent)
    {
        if (recordedHash is null)
        {
            findings.Add(new VerificationFinding(itemId, FindingKind.NotInLock, $"output {recorded.Name} is not recorded in the lock"));
            return;
        }

        string mismatch = $"{recorded.Name} rebuilt as sha256 {HashText.Short(rebuiltHash)}, the lock records {HashText.Short(recordedHash)} (rebuilt file: {rebuilt.Path})";
        if (compare is null)
        {
            findings.Add(new VerificationFinding(itemId, FindingKind.NotReproduced, mismatch));
            return;
        }

        // Values are compared with the recorded output only while the file on disk still holds the recorded bytes.
        if (!File.Exists(recorded.Path) || ContentHash.OfFile(recorded.Path) != recordedHash)
        {
            findings.Add(new VerificationFinding(itemId, FindingKind.NotReproduced, $"{mismatch}; {recorded.Path} no longer holds the recorded bytes to compare values with"));
            return;
        }

        OutputComparison comparison = compare(recorded.Name, recorded.Path, rebuilt.Path);
        if (comparison.Equivalent)
        {
            equivalent.Add(new EquivalentOutput(itemId, recorded.Name, comparison.Detail));
        }
        else
        {
            findings.Add(new VerificationFinding(itemId, FindingKind.NotReproduced, $"{mismatch}; {comparison.Detail}"));
        }
    }
}
