using System.Globalization;
using CellPainting.Engine;
using CellPainting.Engine.Items;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Verification;
using CellPainting.Stages.Configuration;
using CellPainting.Stages.Features;
using CellPainting.Stages.Sites;
using CellPainting.Stages.Torch;

namespace CellPainting.Build;

/// <summary>
/// The Verify target: re-hashes every output of the current plan against the lock and reports what is missing,
/// modified, or on one side only; with a sample size, also rebuilds that many items per target in a scratch
/// folder and checks they reproduce the recorded hashes. Any problem makes the run fail.
/// </summary>
internal sealed class VerifyRunner(BuildConfig config, SiteCatalog catalog, Workspace workspace, LockStore lockStore, TextWriter output)
{
    /// <summary>
    /// GPU kernels may change the last bits of a feature: where the model may have run on CUDA (extraction.device
    /// auto or cuda), a rebuilt feature file whose values all lie within this absolute difference of the recorded
    /// one passes. Tensors, and features with device cpu, must be byte-identical.
    /// </summary>
    public const double GpuFeatureTolerance = 1e-3;

    private string LockName => Path.GetFileName(lockStore.LockPath);

    /// <param name="sample">Items per target to rebuild in scratch; 0 rebuilds none.</param>
    /// <param name="seed">Picks the sample; null draws one (printed, so the same sample can be checked again).</param>
    public void Run(int sample, int? seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sample);
        LockFile lockFile = lockStore.Load();
        int chosenSeed = seed ?? Random.Shared.Next();
        using var stages = new ItemStages(config, catalog, workspace.StatCache);
        DirectoryInfo? scratch = sample > 0 ? Directory.CreateTempSubdirectory("cpbuild-verify-") : null;
        if (scratch is not null)
        {
            output.WriteLine($"verify: rebuilding {sample} item(s) per target in {scratch.FullName}, seed {chosenSeed} (--seed={chosenSeed} picks the same ones)");
        }

        int problems = 0;
        foreach (IStage stage in stages.All)
        {
            problems += VerifyTarget(stage, lockFile, sample, chosenSeed, scratch?.FullName);
        }

        foreach (IStage stage in stages.Layouts.Where(stage => lockFile.Targets.ContainsKey(stage.Name)))
        {
            problems += VerifyTarget(stage, lockFile, sample, chosenSeed, scratch?.FullName);
        }

        foreach (string target in lockFile.Targets.Keys.Except(stages.All.Concat(stages.Layouts).Select(stage => stage.Name), StringComparer.Ordinal))
        {
            if (target == DownloadLock.Target)
            {
                output.WriteLine($"verify {target}: not re-hashed here; the Download target checks the local files against S3");
                continue;
            }

            output.WriteLine($"verify {target}: in {LockName}, but no target of this build produces it");
            problems++;
        }

        foreach (string message in stages.Features.Messages)
        {
            output.WriteLine($"  {message}");
        }

        Finish(scratch, problems);
    }

    private int VerifyTarget(IStage stage, LockFile lockFile, int sample, int seed, string? scratch)
    {
        if (!lockFile.Targets.TryGetValue(stage.Name, out TargetLock? section))
        {
            output.WriteLine($"verify {stage.Name}: not in {LockName}; build it, then verify");
            return 1;
        }

        StageItems discovered = stage.Discover();
        LockedTarget locked = LockedTarget.Read(lockStore, stage.Name, section);
        TargetVerification verification = ProgressDisplay.Run(
            output,
            observer => new OutputVerifier(workspace.StatCache, workspace.Parallelism, observer).Verify(locked, discovered.Items),
            everyItemIsWork: true);
        string verdict = verification.Passed ? "all match the lock" : Counts(verification.Findings);
        output.WriteLine($"verify {stage.Name}: {verification.ItemsChecked} item(s), {verification.FilesHashed} file(s) re-hashed ({ProgressText.FormatBytes(verification.BytesHashed)}) [{ProgressText.FormatDuration(verification.Elapsed)}]: {verdict}");
        PrintFindings(verification.Findings);
        // A group that cannot be listed (a plate folder gone) cannot be checked: a problem, never a pass.
        ItemProblem[] unlisted = discovered.Problems.Where(problem => problem.WholeGroup).ToArray();
        ReportPrinter.List(output, "CANNOT LIST", unlisted, problem => problem.ItemId, problem => problem.Message);
        if (scratch is null)
        {
            return verification.Findings.Count + unlisted.Length;
        }

        IReadOnlyList<WorkItem> chosen = SampleChoice.Choose(discovered.Items.Where(item => locked.Items.ContainsKey(item.Id)), sample, seed);
        SampleResult rebuilt = ProgressDisplay.Run(output, observer => new SampleRebuild(scratch, workspace.Parallelism, observer).Run(stage, chosen, locked.Items, ComparerFor(stage)));
        PrintSample(rebuilt, locked.Items.Count);
        return verification.Findings.Count + unlisted.Length + rebuilt.Findings.Count;
    }

    private OutputComparer? ComparerFor(IStage stage) =>
        stage is FeatureStage && config.Extraction.Device != "cpu" ? CompareFeatureValues : null;

    private static OutputComparison CompareFeatureValues(string outputName, string recordedPath, string rebuiltPath)
    {
        double difference;
        try
        {
            difference = TensorDifference.MaxAbsolute(recordedPath, rebuiltPath);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            return new OutputComparison(false, exception.Message);
        }

        bool within = difference <= GpuFeatureTolerance;
        return new OutputComparison(within, string.Create(
            CultureInfo.InvariantCulture,
            $"largest value difference {difference:G3} {(within ? "<=" : ">")} {GpuFeatureTolerance:G} (the model may run on CUDA)"));
    }

    private void PrintSample(SampleResult result, int lockedItems)
    {
        var parts = new List<string> { $"{result.Identical} byte-identical" };
        if (result.Equivalent.Count > 0)
        {
            parts.Add($"{result.Equivalent.Select(equivalent => equivalent.ItemId).Distinct().Count()} within tolerance");
        }

        if (!result.Passed)
        {
            parts.Add(Counts(result.Findings));
        }

        output.WriteLine($"sample {result.Target}: {result.Sampled} of {lockedItems} recorded item(s) rebuilt in scratch [{ProgressText.FormatDuration(result.Elapsed)}]: {string.Join(", ", parts)}");
        ReportPrinter.List(output, "within tolerance", result.Equivalent, equivalent => equivalent.ItemId, equivalent => $"{equivalent.OutputName}: {equivalent.Detail}");
        PrintFindings(result.Findings);
    }

    private void PrintFindings(IReadOnlyList<VerificationFinding> findings)
    {
        foreach (IGrouping<FindingKind, VerificationFinding> kind in findings.GroupBy(finding => finding.Kind).OrderBy(group => group.Key))
        {
            ReportPrinter.List(output, kind.Key.Describe().ToUpperInvariant(), kind, finding => finding.Subject, finding => finding.Detail);
        }
    }

    private static string Counts(IEnumerable<VerificationFinding> findings) =>
        string.Join(", ", findings.GroupBy(finding => finding.Kind).OrderBy(group => group.Key).Select(group => $"{group.Count()} {group.Key.Describe()}"));

    private void Finish(DirectoryInfo? scratch, int problems)
    {
        if (scratch is not null)
        {
            if (problems == 0)
            {
                scratch.Delete(recursive: true);
            }
            else
            {
                output.WriteLine($"verify: the rebuilt sample is kept in {scratch.FullName} for inspection");
            }
        }

        if (problems > 0)
        {
            throw new BuildFailedException(
                $"verify: {problems} problem(s), listed above. A build rebuilds missing and modified outputs and records the plan; --target=LockRegenerate rewrites a lock out of step with its manifests.");
        }

        output.WriteLine("verify: every output matches the lock");
    }
}
