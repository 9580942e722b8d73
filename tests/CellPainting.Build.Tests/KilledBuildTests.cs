using System.Diagnostics;
using System.Text;
using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine;
using CellPainting.Engine.Execution;
using CellPainting.Engine.IO;
using CellPainting.Engine.Journal;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Locking;
using CellPainting.Engine.Planning;
using CellPainting.Stages.Configuration;

namespace CellPainting.Build.Tests;

/// <summary>
/// A real build process of the Tensors target killed with SIGKILL mid-run, then resumed: what ninja's and DVC's
/// journals promise. The child is this test assembly run as a program (<see cref="ChildBuild"/>).
/// </summary>
public sealed class KilledBuildTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private string root = string.Empty;
    private BuildConfig config = null!;
    private string logFolder = string.Empty;
    private string logPath = string.Empty;

    [SetUp]
    public void CreateSample()
    {
        root = Directory.CreateTempSubdirectory("cellpainting-killed-").FullName;
        // 36 small sites made into large tensors (cheap to synthesise, slower to build), and a child that builds one
        // site at a time (parallelism is no parameter of the outputs): it is still busy well after the first are done.
        WriteConfig("sample.yml", parallelism: 0);
        WriteConfig("child.yml", parallelism: 1);
        using (DataBuild build = Open())
        {
            build.Sample();
            config = build.Config;
        }

        logFolder = new Workspace(config.Local.State, 1).LogFolderFor("tensors");
        logPath = Path.Combine(logFolder, "BR00116991.log"); // the plate's file: the items' group is the barcode
    }

    [TearDown]
    public void DeleteSample() => Directory.Delete(root, recursive: true);

    [Test]
    public void A_build_killed_mid_run_resumes_without_redoing_finished_sites_and_ends_as_a_clean_build_would()
    {
        var childOutput = new StringBuilder();
        int childId;
        using (Process child = ChildBuild.Start(root, "child.yml", childOutput))
        {
            childId = child.Id;
            try
            {
                WaitUntilSomeSitesAreDoneAndOneIsUnderway(child, childOutput);
                Assert.Throws<RunLockedException>(() => RunLock.Acquire(Workspace.RunLockPathFor(config.Local.State), "test", TimeSpan.Zero), "the child holds the run lock");
            }
            finally
            {
                child.Kill(); // SIGKILL: no finally blocks, no flush, no clean-up in the child
                child.WaitForExit();
            }
        }

        (HashSet<string> done, HashSet<string> underway) = ReadJournal();
        Assert.That(done, Has.Count.GreaterThanOrEqualTo(3), "sites completed before the kill");
        Assert.That(underway, Is.Not.Empty, "sites begun and not completed at the kill");
        // A kill that lands inside a write leaves the output's temporary file; where this one landed is chance, so
        // leave such a file for a site that was underway, named as the child's writer would have named it.
        string halfWritten = Path.Combine(config.Local.Tensors, underway.First() + ".pt") + AtomicFile.TemporaryMarker + $"{childId}-{Guid.NewGuid():N}";
        File.WriteAllText(halfWritten, "half a tensor");
        StageReport resumed;
        using (DataBuild build = Open()) // taking the run lock again: the kill released it
        {
            resumed = build.Tensors();
        }

        Assert.Multiple(() =>
        {
            Assert.That(Kinds(resumed, done), Is.All.EqualTo((OutcomeKind.UpToDate, StaleReason.None)));
            Assert.That(Kinds(resumed, underway), Is.All.EqualTo((OutcomeKind.Built, StaleReason.PreviousRunIncomplete)));
            Assert.That(
                Kinds(resumed, resumed.Outcomes.Select(outcome => outcome.ItemId).Except(done).Except(underway)),
                Is.Not.Empty.And.All.EqualTo((OutcomeKind.Built, StaleReason.New)));
            Assert.That(resumed.Outcomes, Has.Count.EqualTo(36));
            Assert.That(Directory.EnumerateFiles(root, "*" + AtomicFile.TemporaryMarker + "*", SearchOption.AllDirectories), Is.Empty, "temporary files");
        });

        Dictionary<string, byte[]> afterResume = OutputsAndLock();
        Directory.Delete(config.Local.Tensors, recursive: true);
        Directory.Delete(config.Local.State, recursive: true);
        using (DataBuild build = Open())
        {
            Assert.That(build.Tensors().Count(OutcomeKind.Built), Is.EqualTo(36));
        }

        Assert.That(afterResume, Is.EqualTo(OutputsAndLock()), "a clean build's tensors and lock");
    }

    private void WriteConfig(string name, int parallelism) =>
        File.WriteAllText(Path.Combine(root, name), $$"""
            cpjump:
              batch: "2020_11_04_CPJUMP1"
              plates: ["BR00116991__2020-11-05T19_51_35-Measurement1"]
              tensors: { size: 256 }
              build: { parallelism: {{parallelism}} }
              sample: { image_size: 128, wells: ["A01", "A02", "A03", "A04"], sites: 9 }
            """);

    private DataBuild Open() => DataBuild.Open(new BuildOptions(root, "sample.yml", Explain: false, TimeSpan.Zero), TextWriter.Null);

    /// <summary>Polls the child's build log (no fixed sleeps) until three sites are done and the last line begins one.</summary>
    private void WaitUntilSomeSitesAreDoneAndOneIsUnderway(Process child, StringBuilder childOutput)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string[] lines = ReadShared(logPath).Split('\n')[..^1]; // the last element is empty or a line being written
            if (lines.Count(BuildLogLines.IsRecord) >= 3 && lines[^1].StartsWith("B\t", StringComparison.Ordinal))
            {
                return;
            }

            if (child.HasExited || clock.Elapsed > Patience)
            {
                Assert.Fail($"the child build {(child.HasExited ? $"exited ({child.ExitCode})" : "made no progress")} before it could be killed:\n{childOutput}");
            }

            Thread.Sleep(2);
        }
    }

    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>What the journal says the killed run completed, and what it began and never completed.</summary>
    private (HashSet<string> Done, HashSet<string> Underway) ReadJournal()
    {
        string[] begun = ReadShared(logPath).Split('\n').Where(line => line.StartsWith("B\t", StringComparison.Ordinal)).Select(line => line.Split('\t')[1]).ToArray();
        using BuildLog log = BuildLog.Open(logFolder);
        return (log.Records.Select(record => record.ItemId).ToHashSet(), begun.Where(log.WasInterrupted).ToHashSet());
    }

    private static IEnumerable<(OutcomeKind, StaleReason)> Kinds(StageReport report, IEnumerable<string> itemIds)
    {
        var wanted = itemIds.ToHashSet();
        return report.Outcomes.Where(outcome => wanted.Contains(outcome.ItemId)).Select(outcome => (outcome.Kind, outcome.Staleness.Reason));
    }

    /// <summary>Every tensor and lock file, by path relative to the root.</summary>
    private Dictionary<string, byte[]> OutputsAndLock() =>
        Directory.EnumerateFiles(config.Local.Tensors, "*", SearchOption.AllDirectories)
            .Append(config.Build.LockPath)
            .Concat(Directory.EnumerateFiles(new LockStore(config.Build.LockPath).ManifestDirectory, "*", SearchOption.AllDirectories))
            .ToDictionary(path => Path.GetRelativePath(root, path), File.ReadAllBytes);
}
