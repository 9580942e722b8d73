using System.Text;
using CellPainting.Engine.LockFiles;
using CellPainting.Engine.Tests.Fakes;

namespace CellPainting.Engine.Tests.LockFiles;

public sealed class ManifestChainTests
{
    private static readonly GroupKey PlateA = new("copy", "plate-A");
    private static readonly GroupKey PlateB = new("copy", "plate-B");
    private static readonly byte[] ManifestA = Encoding.UTF8.GetBytes("# item\tfingerprint\toutputs\nsite-01\tf1\tout=h1\n");
    private static readonly byte[] ManifestB = Encoding.UTF8.GetBytes("# item\tfingerprint\toutputs\nsite-02\tf2\tout=h2\n");

    private static ManifestRequest Request(GroupKey key, byte[] manifest) => new(key, ItemManifest.DigestOf(manifest));

    [Test]
    public void Places_are_asked_in_order_and_each_only_for_what_the_places_before_it_lacked()
    {
        var committed = new RecordingManifestPlace("d", new() { [PlateA] = ManifestA });
        var local = new RecordingManifestPlace("local", new() { [PlateB] = ManifestB });
        var cache = new RecordingManifestPlace("cache");

        IReadOnlyList<ManifestLookup> found = new ManifestChain([committed, local, cache]).Find([Request(PlateA, ManifestA), Request(PlateB, ManifestB)]);

        Assert.That(found.Select(lookup => lookup.Content), Is.EqualTo(new[] { ManifestA, ManifestB }));
        Assert.That(committed.Asked, Is.EqualTo(new[] { PlateA, PlateB }));
        Assert.That(local.Asked, Is.EqualTo(new[] { PlateB }));
        Assert.That(cache.Asked, Is.Empty, "everything was found before the cache");
    }

    [Test]
    public void Bytes_that_do_not_hash_to_the_locks_digest_are_not_found_and_the_next_place_is_asked()
    {
        var committed = new RecordingManifestPlace("d", new() { [PlateA] = ManifestB });
        var local = new RecordingManifestPlace("local", new() { [PlateA] = ManifestA });

        ManifestLookup lookup = new ManifestChain([committed, local]).Find([Request(PlateA, ManifestA)])[0];

        Assert.That(lookup.Content, Is.EqualTo(ManifestA));
        Assert.That(lookup.Mismatched.Select(answer => answer.Place), Is.EqualTo(new[] { "d:copy/plate-A" }), "the wrong bytes are still reported");
    }

    [Test]
    public void A_place_that_cannot_answer_counts_as_not_having_it_and_the_next_place_is_asked()
    {
        var cache = new RecordingManifestPlace("cache", unreachable: true);
        var mirror = new RecordingManifestPlace("mirror", new() { [PlateA] = ManifestA });

        ManifestLookup lookup = new ManifestChain([cache, mirror]).Find([Request(PlateA, ManifestA)])[0];

        Assert.That(lookup.Content, Is.EqualTo(ManifestA));
        Assert.That(lookup.Answers[0].Unreachable, Is.EqualTo("cache is down"));
    }

    [Test]
    public void A_miss_names_the_digest_the_target_the_group_and_every_place_looked()
    {
        string digest = ItemManifest.DigestOf(ManifestA);
        ManifestChain chain = new([new RecordingManifestPlace("d"), new RecordingManifestPlace("local"), new RecordingManifestPlace("cache", unreachable: true)]);

        var thrown = Assert.Throws<LockFileException>(() => chain.Find([Request(PlateA, ManifestA)])[0].Require("data.lock.json"));

        Assert.That(thrown!.Message, Is.EqualTo(
            $"d:copy/plate-A: missing, but data.lock.json lists copy/plate-A (manifest {digest}); also looked in local:copy/plate-A (missing), cache:copy/plate-A (unreachable: cache is down)."));
    }

    [Test]
    public void Wrong_bytes_and_none_right_name_the_place_holding_the_wrong_ones_first()
    {
        string digest = ItemManifest.DigestOf(ManifestA);
        ManifestChain chain = new([new RecordingManifestPlace("d"), new RecordingManifestPlace("local", new() { [PlateA] = ManifestB })]);

        var thrown = Assert.Throws<LockFileException>(() => chain.Find([Request(PlateA, ManifestA)])[0].Require("data.lock.json"));

        Assert.That(thrown!.Message, Is.EqualTo(
            $"local:copy/plate-A: has digest {ItemManifest.DigestOf(ManifestB)}, but data.lock.json records {digest} for copy/plate-A; the lock and its manifests are out of step; also looked in d:copy/plate-A (missing)."));
    }

    [Test]
    public void A_digest_of_another_form_is_refused_before_it_can_name_a_file()
    {
        var request = new ManifestRequest(PlateA, "sha256:../../etc/passwd");

        var thrown = Assert.Throws<LockFileException>(() => _ = request.Sha256);

        Assert.That(thrown!.Message, Is.EqualTo("copy/plate-A: manifest digest 'sha256:../../etc/passwd' is not sha256:<64 lower-case hex digits>."));
    }
}
