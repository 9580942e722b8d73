using CellPainting.Build.Tests.TestSupport;
using CellPainting.Engine.Caching;
using CellPainting.Engine.LockFiles;
using CellPainting.TestSupport;

namespace CellPainting.Build.Tests;

/// <summary>
/// <c>build.manifests: cache</c> through the real targets, with a folder cache: machine A builds and commits only
/// <c>data.lock.json</c>; a fresh clone, with that file and the cache and nothing else, reviews the change.
/// </summary>
public sealed class DataBuildManifestCacheTests
{
    private const string ManifestsInCache = ", manifests: \"cache\"";

    private TempDirectory home = null!;
    private SampleRoot machineA = null!;

    private string CacheRoot => home.PathOf("cache");

    [SetUp]
    public void CreateMachineAndCache()
    {
        home = new TempDirectory();
        Directory.CreateDirectory(CacheRoot);
        machineA = new SampleRoot();
    }

    [TearDown]
    public void DeleteMachineAndCache()
    {
        machineA.Dispose();
        home.Dispose();
    }

    private void ConfigureA(string mode, string? url = null) =>
        machineA.WriteConfig(sections: [DataBuildCacheTests.CacheSection(url ?? CacheRoot, mode)], extraBuild: ManifestsInCache);

    private string[] PendingOnA()
    {
        string pending = machineA.PathOf("data", ".cpbuild", "manifests", "pending");
        return Directory.Exists(pending) ? Directory.GetFiles(pending) : [];
    }

    /// <summary>The digests of every manifest the lock names.</summary>
    private string[] DigestsInLockOfA() =>
        [.. new LockStore(machineA.LockPath).Load().Targets.Values.SelectMany(target => target.Groups.Values).Select(group => group.Digest).Distinct()];

    private bool InCache(string digest) => File.Exists(Path.Combine([CacheRoot, .. ItemCache.BlobKey(digest["sha256:".Length..]).Split('/')]));

    [Test]
    public void A_read_write_build_commits_no_manifest_folder_and_puts_every_manifest_the_lock_names_in_the_cache()
    {
        ConfigureA("read-write");

        machineA.RunAll();

        Assert.That(Directory.Exists(machineA.PathOf("data.lock.d")), Is.False);
        Assert.That(File.ReadAllText(machineA.LockPath), Does.Contain("\"manifests\": \"cache\","));
        Assert.That(DigestsInLockOfA().Where(digest => !InCache(digest)), Is.Empty);
        Assert.That(PendingOnA(), Is.Empty);
    }

    [Test]
    public void The_lock_has_the_same_digests_as_with_committed_manifests()
    {
        machineA.RunAll();
        string committed = File.ReadAllText(machineA.LockPath);
        ConfigureA("read-write");

        machineA.RunAll();

        Assert.That(File.ReadAllText(machineA.LockPath), Is.EqualTo(LockText.WithManifestsInCache(committed)));
        Assert.That(Directory.Exists(machineA.PathOf("data.lock.d")), Is.False, "the manifests committed before are removed");
    }

    [Test]
    public void A_read_mode_build_keeps_its_manifests_pending_and_the_next_read_write_run_uploads_them()
    {
        ConfigureA("read");
        machineA.RunAll();
        Assert.That(PendingOnA(), Has.Length.EqualTo(DigestsInLockOfA().Length));
        Assert.That(DigestsInLockOfA().Where(InCache), Is.Empty, "read mode writes nothing to the cache");

        ConfigureA("read-write");
        machineA.RunAll();

        Assert.That(PendingOnA(), Is.Empty);
        Assert.That(DigestsInLockOfA().Where(digest => !InCache(digest)), Is.Empty);
    }

    [Test]
    public void An_unreachable_cache_keeps_the_manifests_in_local_state_with_one_warning()
    {
        string unmounted = home.PathOf("unmounted");
        ConfigureA("read-write", unmounted);

        (string output, BuildFailedException? error) = machineA.Run(build =>
        {
            build.TensorsAndFeatures();
            build.Metadata();
        });

        Assert.That(error, Is.Null, output);
        Assert.That(output.Split('\n').Count(line => line.Contains("lock manifest(s) stay pending", StringComparison.Ordinal)), Is.EqualTo(1), output);
        Assert.That(PendingOnA(), Has.Length.EqualTo(DigestsInLockOfA().Length), "every manifest the lock names is kept");
        var local = new ManifestStore(machineA.PathOf("data", ".cpbuild", "manifests"), null, CacheMode.Off);
        Assert.That(DigestsInLockOfA().Select(digest => local.PathOf(digest["sha256:".Length..])).Where(path => !File.Exists(path)), Is.Empty);
    }

    /// <summary>
    /// Machine A, configured by the caller, builds the sample and commits only the lock, changes one site and does it
    /// again; returns the repository and A's review of the second commit against the first.
    /// </summary>
    internal static (GitRepository Repository, string Summary) BuildTwoCommittedLocks(SampleRoot machine)
    {
        File.WriteAllText(machine.PathOf(".gitignore"), "/data/\n/sample.yml\n");
        GitRepository repository = GitRepository.Init(machine.Root);
        machine.RunAll();
        repository.Commit("first build", "data.lock.json", ".gitignore");
        machine.ChangeFirstSiteTiff();
        machine.RunAll();
        repository.Commit("one site changed", "data.lock.json");
        return (repository, Review(machine.Root, "sample.yml"));
    }

    /// <summary>LockDiff of HEAD against HEAD~1 in <paramref name="root"/>, as markdown.</summary>
    internal static string Review(string root, string config)
    {
        var summary = new StringWriter();
        LockReview.Diff(new BuildOptions(root, config, Explain: false, TimeSpan.Zero), "HEAD~1", "markdown", null, summary);
        return summary.ToString();
    }

    /// <summary>A clone of <paramref name="repository"/> in <paramref name="folder"/> with a review config of its own (not committed).</summary>
    internal static string CloneWithReviewConfig(GitRepository repository, string folder, string cpjumpSections)
    {
        repository.CloneTo(folder);
        File.WriteAllText(Path.Combine(folder, "review.yml"), $"cpjump:\n  build: {{ manifests: \"cache\" }}\n{cpjumpSections}");
        return folder;
    }

    /// <summary>What a clone holds: the committed files and its review config, and no manifest folder or state.</summary>
    internal static IEnumerable<string?> EntriesOf(string clone) => Directory.EnumerateFileSystemEntries(clone).Select(Path.GetFileName).Order(StringComparer.Ordinal);

    [Test]
    public void LockDiff_between_two_commits_on_a_clone_with_only_the_lock_file_and_the_cache_gives_the_builders_summary()
    {
        ConfigureA("read-write");
        (GitRepository repository, string summaryOnA) = BuildTwoCommittedLocks(machineA);
        string machineB = CloneWithReviewConfig(repository, home.PathOf("b"), $"  {DataBuildCacheTests.CacheSection(CacheRoot, "read")}\n");

        string summaryOnB = Review(machineB, "review.yml");

        Assert.That(EntriesOf(machineB), Is.EqualTo(new[] { ".git", ".gitignore", "data.lock.json", "review.yml" }), "B has the lock file and nothing else, before and after");
        Assert.That(summaryOnB, Is.EqualTo(summaryOnA));
        Assert.That(summaryOnB, Does.Contain("- items changed (1; ").And.Contain("`BR00116991/r01c01f01`"));
    }

    [Test]
    public void LockDiff_on_a_clone_whose_cache_lacks_a_manifest_names_its_digest_and_every_place_looked()
    {
        ConfigureA("read-write");
        (GitRepository repository, _) = BuildTwoCommittedLocks(machineA);
        string digest = new LockStore(machineA.LockPath).Load().Targets["tensors"].Groups["BR00116991"].Digest;
        string sha256 = digest["sha256:".Length..];
        File.Delete(Path.Combine([CacheRoot, .. ItemCache.BlobKey(sha256).Split('/')]));
        string machineB = CloneWithReviewConfig(repository, home.PathOf("b"), $"  local: {{ state: \"state\" }}\n  {DataBuildCacheTests.CacheSection(CacheRoot, "read")}\n");

        var thrown = Assert.Throws<LockFileException>(() => Review(machineB, "review.yml"));

        Assert.That(thrown!.Message, Is.EqualTo(
            $"data.lock.d/tensors/BR00116991.tsv: missing, but data.lock.json lists tensors/BR00116991 (manifest {digest}); " +
            $"also looked in local state {Path.Combine(machineB, "state", "manifests", sha256[..2], sha256)} (missing), cache {CacheRoot}/cas/{sha256[..2]}/{sha256} (missing)."));
    }
}
