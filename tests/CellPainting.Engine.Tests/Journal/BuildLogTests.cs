using System.Buffers.Text;
using System.IO.Hashing;
using System.Text;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.State;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Journal;

public sealed class BuildLogTests
{
    private TempDirectory temp = null!;
    private string folder = null!;
    private string path = null!;

    [SetUp]
    public void CreateTempDirectory()
    {
        temp = new TempDirectory();
        folder = temp.PathOf("logs", "copy");
        path = Path.Combine(folder, "plate-A.log"); // the file of the group all records below share
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    private static BuildRecord Record(string itemId, string version = "1", string group = "plate-A") => new(
        itemId,
        group,
        ContentHash.OfText($"fingerprint {itemId} {version}"),
        3,
        ContentHash.OfText("params"),
        [new HashedName("left", ContentHash.OfText($"left {itemId}")), new HashedName("right", ContentHash.OfText($"right {itemId}"))],
        [new HashedName("out", ContentHash.OfText($"out {itemId} {version}"))]);

    private static void AssertSameRecord(BuildRecord? actual, BuildRecord expected)
    {
        Assert.That(actual, Is.Not.Null);
        Assert.That(actual!.ItemId, Is.EqualTo(expected.ItemId));
        Assert.That(actual.Group, Is.EqualTo(expected.Group));
        Assert.That(actual.Fingerprint, Is.EqualTo(expected.Fingerprint));
        Assert.That(actual.RecipeVersion, Is.EqualTo(expected.RecipeVersion));
        Assert.That(actual.ParametersDigest, Is.EqualTo(expected.ParametersDigest));
        // The log keeps the first 8 digits of an input's hash: enough to name which input changed.
        Assert.That(actual.Inputs, Is.EqualTo(expected.Inputs.Select(input => input with { Hash = input.Hash[..8] })));
        Assert.That(actual.Outputs, Is.EqualTo(expected.Outputs));
    }

    [Test]
    public void A_log_that_does_not_exist_opens_empty_and_is_not_created()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            Assert.That(log.Records, Is.Empty);
            Assert.That(log.Find("site-01"), Is.Null);
            Assert.That(log.WasInterrupted("site-01"), Is.False);
        }

        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void Begin_without_Complete_marks_the_item_interrupted_for_the_next_run()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Begin("site-01", "plate-A");
        }

        using BuildLog reopened = BuildLog.Open(folder);

        Assert.That(reopened.WasInterrupted("site-01"), Is.True);
        Assert.That(reopened.WasInterrupted("site-02"), Is.False);
        Assert.That(reopened.Find("site-01"), Is.Null);
    }

    [Test]
    public void Complete_after_Begin_clears_the_interruption()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Begin("site-01", "plate-A");
            log.Complete(Record("site-01"));
        }

        using BuildLog reopened = BuildLog.Open(folder);

        Assert.That(reopened.WasInterrupted("site-01"), Is.False);
        AssertSameRecord(reopened.Find("site-01"), Record("site-01"));
    }

    [Test]
    public void Complete_in_a_later_run_clears_an_interruption_of_an_earlier_one()
    {
        using (BuildLog first = BuildLog.Open(folder))
        {
            first.Begin("site-01", "plate-A");
        }

        using (BuildLog second = BuildLog.Open(folder))
        {
            Assume.That(second.WasInterrupted("site-01"), Is.True);
            second.Complete(Record("site-01"));
            Assert.That(second.WasInterrupted("site-01"), Is.False, "in memory");
        }

        using BuildLog third = BuildLog.Open(folder);
        Assert.That(third.WasInterrupted("site-01"), Is.False, "replayed");
    }

    [Test]
    public void Begin_after_an_earlier_Complete_marks_the_item_interrupted_again()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Begin("site-01", "plate-A");
            log.Complete(Record("site-01"));
            log.Begin("site-01", "plate-A");
        }

        using BuildLog reopened = BuildLog.Open(folder);

        Assert.That(reopened.WasInterrupted("site-01"), Is.True);
        AssertSameRecord(reopened.Find("site-01"), Record("site-01"));
    }

    [Test]
    public void Reopening_replays_every_completed_record_and_the_last_one_of_an_item_wins()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-02"));
            log.Complete(Record("site-01", version: "1"));
            log.Complete(Record("site-03", group: "plate-B"));
            log.Complete(Record("site-01", version: "2"));
        }

        using BuildLog reopened = BuildLog.Open(folder);

        Assert.That(reopened.Records.Select(record => record.ItemId).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "site-01", "site-02", "site-03" }));
        AssertSameRecord(reopened.Find("site-01"), Record("site-01", version: "2"));
        AssertSameRecord(reopened.Find("site-02"), Record("site-02"));
        AssertSameRecord(reopened.Find("site-03"), Record("site-03", group: "plate-B"));
    }

    [Test]
    public void A_record_without_inputs_or_outputs_is_replayed_with_empty_lists()
    {
        var bare = new BuildRecord("site-01", "plate-A", ContentHash.OfText("fp"), 1, ContentHash.OfText("p"), [], []);
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(bare);
        }

        using BuildLog reopened = BuildLog.Open(folder);

        AssertSameRecord(reopened.Find("site-01"), bare);
    }

    [Test]
    public void A_last_line_cut_short_is_ignored_and_the_next_append_still_parses()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-01"));
            log.Complete(Record("site-02"));
        }

        long length = new FileInfo(path).Length;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(length - 40); // a kill in the middle of writing site-02's line
        }

        using (BuildLog cut = BuildLog.Open(folder))
        {
            AssertSameRecord(cut.Find("site-01"), Record("site-01"));
            Assert.That(cut.Find("site-02"), Is.Null, "the cut-short line");
            cut.Complete(Record("site-03"));
        }

        using BuildLog reopened = BuildLog.Open(folder);

        AssertSameRecord(reopened.Find("site-01"), Record("site-01"));
        AssertSameRecord(reopened.Find("site-03"), Record("site-03"));
    }

    [Test]
    public void A_Begin_line_cut_short_does_not_hide_the_next_append()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-01"));
        }

        File.AppendAllText(path, "B\tsite-0"); // killed while writing a Begin line

        using (BuildLog cut = BuildLog.Open(folder))
        {
            Assert.That(cut.WasInterrupted("site-0"), Is.False);
            cut.Begin("site-02", "plate-A");
        }

        using BuildLog reopened = BuildLog.Open(folder);

        Assert.That(reopened.WasInterrupted("site-02"), Is.True);
        AssertSameRecord(reopened.Find("site-01"), Record("site-01"));
    }

    [Test]
    public void Compact_writes_the_name_list_and_one_sorted_line_per_item_after_the_header()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Begin("site-02", "plate-A");
            log.Complete(Record("site-02"));
            log.Begin("site-01", "plate-A");
            log.Complete(Record("site-01", version: "1"));
            log.Begin("site-01", "plate-A");
            log.Complete(Record("site-01", version: "2"));
            log.Compact();
        }

        BuildRecord one = Record("site-01", version: "2");
        BuildRecord two = Record("site-02");
        string expected =
            "cpbuild-log 4\n" +
            Checked("N\t0\tleft,right\tout") +
            Format4("D", "site-01", one, one.ParametersDigest, "-") +
            Format4("D", "site-02", two, two.ParametersDigest, "-");
        Assert.That(File.ReadAllText(path), Is.EqualTo(expected));
    }

    [Test]
    public void A_record_of_an_item_named_after_its_group_keeps_its_stamps_and_drops_the_group_from_its_id()
    {
        BuildRecord record = Record("plate-A/r01c01f01") with { Stamps = 0x0123456789abcdef };
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(record);
        }

        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "cpbuild-log 4\n" +
            Checked("N\t0\tleft,right\tout") +
            Format4("d", "r01c01f01", record, record.ParametersDigest, "0123456789abcdef")));
        using BuildLog reopened = BuildLog.Open(folder);
        AssertSameRecord(reopened.Find("plate-A/r01c01f01"), record);
        Assert.That(reopened.Find("plate-A/r01c01f01")!.Stamps, Is.EqualTo(0x0123456789abcdef));
    }

    [Test]
    public void A_log_of_format_2_is_replayed_and_compaction_rewrites_it_in_format_4()
    {
        var parameters = new StageParameters([KeyValuePair.Create("size", "384")]);
        BuildRecord record = Record("site-01") with { ParametersDigest = parameters.Digest };
        Directory.CreateDirectory(folder);
        File.WriteAllText(path,
            "cpbuild-log 2\n" +
            Checked($"P\t{parameters.Digest}\tsize\t384") +
            Checked("B\tsite-02") +
            Format2(record, parameters.Digest));

        using (BuildLog log = BuildLog.Open(folder))
        {
            Assert.That(log.Find("site-01")!.Inputs, Is.EqualTo(record.Inputs), "format 2 held the full hashes");
            Assert.That(log.Find("site-01")!.Stamps, Is.Null);
            Assert.That(log.WasInterrupted("site-02"), Is.True);
            Assert.That(log.ParametersOf(parameters.Digest), Is.EqualTo(parameters.Values));
            log.Compact();
        }

        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "cpbuild-log 4\n" +
            Checked("B\tsite-02") +
            Checked($"P\t{parameters.Digest}\tsize\t384") +
            Checked("N\t0\tleft,right\tout") +
            Format4("D", "site-01", record, parameters.Digest[..16], "-")));
        Assert.That(BuildLog.AnyOfFormat2(Path.GetDirectoryName(folder)!), Is.False);
    }

    [Test]
    public void Appending_to_a_log_of_format_2_rewrites_it_in_format_4_first_so_a_kill_leaves_it_readable()
    {
        BuildRecord one = Record("site-01");
        Directory.CreateDirectory(folder);
        File.WriteAllText(path,
            "cpbuild-log 2\n" +
            Format2(one, one.ParametersDigest));
        Assert.That(BuildLog.AnyOfFormat2(Path.GetDirectoryName(folder)!), Is.True);

        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Begin("site-02", "plate-A"); // killed here, before compaction
        }

        using BuildLog reopened = BuildLog.Open(folder);
        Assert.That(File.ReadAllText(path), Does.StartWith("cpbuild-log 4\n"));
        AssertSameRecord(reopened.Find("site-01"), one);
        Assert.That(reopened.WasInterrupted("site-02"), Is.True);
    }

    [Test]
    public void A_log_of_format_3_is_replayed_whole_and_compaction_rewrites_it_in_format_4()
    {
        var parameters = new StageParameters([KeyValuePair.Create("size", "384")]);
        BuildRecord record = Record("plate-A/r01c01f01") with { ParametersDigest = parameters.Digest, Stamps = 0x0123456789abcdef };
        Directory.CreateDirectory(folder);
        File.WriteAllText(path,
            "cpbuild-log 3\n" +
            Checked("B\tsite-02") +
            Checked($"P\t{parameters.Digest}\tsize\t384") +
            Format3("d", "r01c01f01", record, parameters.Digest[..16], "0123456789abcdef"));

        using (BuildLog log = BuildLog.Open(folder))
        {
            AssertSameRecord(log.Find(record.ItemId), record);
            Assert.That(log.Find(record.ItemId)!.Stamps, Is.EqualTo(record.Stamps));
            Assert.That(log.WasInterrupted("site-02"), Is.True);
            log.Compact();
        }

        Assert.That(BuildLog.AnyOfFormat2(Path.GetDirectoryName(folder)!), Is.False, "format 3 records hold their stamps");
        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "cpbuild-log 4\n" +
            Checked("B\tsite-02") +
            Checked($"P\t{parameters.Digest}\tsize\t384") +
            Checked("N\t0\tleft,right\tout") +
            Format4("d", "r01c01f01", record, parameters.Digest[..16], "0123456789abcdef")));
    }

    [Test]
    public void Records_appended_to_a_log_of_format_3_are_read_back_with_their_own_names_after_a_kill()
    {
        BuildRecord old = Record("site-01");
        BuildRecord other = Renamed(Record("site-02"), ["ch1"], ["tensor", "mask"]);
        BuildRecord same = Record("site-03");
        Directory.CreateDirectory(folder);
        File.WriteAllText(path,
            "cpbuild-log 3\n" +
            Format3("D", "site-01", old, old.ParametersDigest, "-"));

        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(other);
            log.Complete(same); // killed here, before compaction
        }

        using BuildLog reopened = BuildLog.Open(folder);
        AssertSameRecord(reopened.Find("site-01"), old);
        AssertSameRecord(reopened.Find("site-02"), other);
        AssertSameRecord(reopened.Find("site-03"), same);
    }

    [Test]
    public void Records_of_other_names_get_a_list_of_their_own_declared_once_in_the_file()
    {
        BuildRecord other = Renamed(Record("site-02"), ["ch1"], ["tensor", "mask"]);
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-01"));
            log.Complete(other);
            log.Complete(Record("site-03"));
        }

        string[] lines = File.ReadAllText(path).Split('\n');
        Assert.That(lines.Select(line => line.Split('\t')[0]), Is.EqualTo(new[] { "cpbuild-log 4", "N", "D", "N", "D", "D", string.Empty }));
        Assert.That(lines[3], Does.StartWith("N\t1\tch1\ttensor,mask\t"));
        Assert.That(lines[5].Split('\t')[6], Is.EqualTo("0"), "site-03 refers to the first list again");
        using BuildLog reopened = BuildLog.Open(folder);
        AssertSameRecord(reopened.Find("site-01"), Record("site-01"));
        AssertSameRecord(reopened.Find("site-02"), other);
        AssertSameRecord(reopened.Find("site-03"), Record("site-03"));
    }

    [Test]
    public void A_damaged_name_list_drops_the_records_that_use_it_and_its_number_is_declared_again_for_later_ones()
    {
        BuildRecord other = Renamed(Record("site-02"), ["ch1"], ["tensor"]);
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-01"));
            log.Complete(other);
        }

        byte[] content = File.ReadAllBytes(path);
        content[IndexOf(content, "N\t1\tch1") + "N\t1\t".Length] ^= 0x01; // "ch1" becomes "bh1": only the checksum tells
        File.WriteAllBytes(path, content);
        BuildRecord third = Renamed(Record("site-03"), ["ch1"], ["tensor"]);
        using (BuildLog damaged = BuildLog.Open(folder))
        {
            AssertSameRecord(damaged.Find("site-01"), Record("site-01"));
            Assert.That(damaged.Find("site-02"), Is.Null);
            damaged.Complete(third);
        }

        using BuildLog reopened = BuildLog.Open(folder);
        AssertSameRecord(reopened.Find("site-01"), Record("site-01"));
        Assert.That(reopened.Find("site-02"), Is.Null);
        AssertSameRecord(reopened.Find("site-03"), third);
    }

    [Test]
    public void A_hash_that_is_not_a_SHA_256_is_kept_as_it_is()
    {
        BuildRecord record = Record("site-01") with
        {
            Inputs = [new HashedName("left", string.Empty), new HashedName("right", "abc")],
            Outputs = [new HashedName("out", "h1"), new HashedName("extra", string.Empty)],
        };
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(record);
        }

        using BuildLog reopened = BuildLog.Open(folder);
        BuildRecord? replayed = reopened.Find("site-01");
        Assert.That(replayed!.Inputs, Is.EqualTo(record.Inputs));
        Assert.That(replayed.Outputs, Is.EqualTo(record.Outputs));
    }

    [Test]
    public void Parameters_described_once_are_replayed_and_compacted_before_the_records_that_use_them()
    {
        var parameters = new StageParameters([KeyValuePair.Create("size", "384"), KeyValuePair.Create("note", "a\tb")]);
        BuildRecord record = Record("site-01") with { ParametersDigest = parameters.Digest };
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Describe(parameters);
            log.Describe(parameters);
            log.Complete(record);
            log.Describe(new StageParameters([KeyValuePair.Create("size", "128")])); // no record uses it
            log.Compact();
        }

        using BuildLog reopened = BuildLog.Open(folder);

        Assert.That(reopened.ParametersOf(parameters.Digest), Is.EqualTo(parameters.Values));
        Assert.That(reopened.ParametersOf(ContentHash.OfText("unknown")), Is.Null);
        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "cpbuild-log 4\n" +
            Checked($"P\t{parameters.Digest}\tnote\ta\tb") +
            Checked($"P\t{parameters.Digest}\tsize\t384") +
            Checked("N\t0\tleft,right\tout") +
            Format4("D", "site-01", record, parameters.Digest[..16], "-")));
    }

    [Test]
    public void Compact_keeps_items_a_previous_run_left_interrupted()
    {
        using (BuildLog killed = BuildLog.Open(folder))
        {
            killed.Complete(Record("site-01"));
            killed.Begin("site-03", "plate-A");
            killed.Begin("site-02", "plate-A");
        }

        using (BuildLog next = BuildLog.Open(folder))
        {
            next.Complete(Record("site-04"));
            next.Compact();
        }

        string[] lines = File.ReadAllText(path).Split('\n');
        Assert.That(lines[..3], Is.EqualTo(new[] { "cpbuild-log 4", Checked("B\tsite-02").TrimEnd('\n'), Checked("B\tsite-03").TrimEnd('\n') }));
        using BuildLog reopened = BuildLog.Open(folder);
        Assert.That(reopened.WasInterrupted("site-02"), Is.True);
        Assert.That(reopened.WasInterrupted("site-03"), Is.True);
        AssertSameRecord(reopened.Find("site-01"), Record("site-01"));
        AssertSameRecord(reopened.Find("site-04"), Record("site-04"));
    }

    [Test]
    public void Compact_gives_the_same_bytes_whatever_order_the_items_completed_in()
    {
        string[] ids = ["site-03", "site-01", "site-10", "site-02"];
        using (BuildLog log = BuildLog.Open(folder))
        {
            foreach (string id in ids)
            {
                log.Complete(Record(id));
            }

            log.Compact();
        }

        byte[] first = File.ReadAllBytes(path);
        using (BuildLog again = BuildLog.Open(folder))
        {
            foreach (string id in ids.Reverse())
            {
                again.Complete(Record(id));
            }

            again.Compact();
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(first));
    }

    [Test]
    public void A_change_of_one_item_in_a_big_group_is_appended_and_the_file_rewritten_only_once_an_eighth_is_superseded()
    {
        string[] ids = Enumerable.Range(1, 40).Select(index => $"site-{index:D2}").ToArray();
        using (BuildLog cold = BuildLog.Open(folder))
        {
            foreach (string id in ids)
            {
                cold.Begin(id, "plate-A");
                cold.Complete(Record(id));
            }

            cold.Compact();
        }

        FileStamp compacted = FileStatReader.TryRead(path)!.Value;
        using (BuildLog oneChange = BuildLog.Open(folder))
        {
            oneChange.Begin("site-07", "plate-A");
            oneChange.Complete(Record("site-07", version: "2"));
            oneChange.Compact();
        }

        FileStamp appended = FileStatReader.TryRead(path)!.Value;
        Assert.That(appended.Inode, Is.EqualTo(compacted.Inode), "appended to, not rewritten");
        Assert.That(appended.Size, Is.GreaterThan(compacted.Size));
        using (BuildLog twoMore = BuildLog.Open(folder))
        {
            AssertSameRecord(twoMore.Find("site-07"), Record("site-07", version: "2"));
            foreach (string id in new[] { "site-08", "site-09" })
            {
                twoMore.Begin(id, "plate-A");
                twoMore.Complete(Record(id, version: "2"));
            }

            twoMore.Compact();
        }

        Assert.That(FileStatReader.TryRead(path)!.Value.Inode, Is.Not.EqualTo(compacted.Inode), "six superseded lines of 40 items: rewritten");
        Assert.That(File.ReadAllText(path).Split('\n'), Has.Length.EqualTo(1 + 1 + 40 + 1), "the header, the name list, a line per item, the final line break");
    }

    [Test]
    public void Compact_without_appends_leaves_the_file_untouched()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-02"));
            log.Begin("site-01", "plate-A");
            log.Complete(Record("site-01"));
        }

        byte[] before = File.ReadAllBytes(path);
        FileStamp stampBefore = FileStatReader.TryRead(path)!.Value;

        using (BuildLog reopened = BuildLog.Open(folder))
        {
            reopened.Compact();
        }

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
        Assert.That(FileStatReader.TryRead(path), Is.EqualTo(stampBefore));
    }

    [Test]
    public void Appending_after_Compact_continues_the_compacted_log()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-01"));
            log.Compact();
            log.Complete(Record("site-02"));
        }

        using BuildLog reopened = BuildLog.Open(folder);

        AssertSameRecord(reopened.Find("site-01"), Record("site-01"));
        AssertSameRecord(reopened.Find("site-02"), Record("site-02"));
        Assert.That(File.ReadAllText(path).Split('\n')[0], Is.EqualTo("cpbuild-log 4"));
    }

    [Test]
    public void A_log_with_another_header_is_dropped_and_started_afresh()
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(path, "cpbuild-log 99\nD\tsite-01\tsomething\n");

        using (BuildLog log = BuildLog.Open(folder))
        {
            Assert.That(log.Records, Is.Empty);
            log.Complete(Record("site-02"));
        }

        Assert.That(File.ReadAllText(path), Does.StartWith("cpbuild-log 4\n" + Checked("N\t0\tleft,right\tout") + "D\tsite-02\t"));
    }

    [Test]
    public void Lines_it_cannot_parse_are_skipped()
    {
        BuildRecord good = Record("site-01");
        string fingerprint = Url(good.Fingerprint);
        string inputs = $"{good.Inputs[0].Hash[..8]},{good.Inputs[1].Hash[..8]}";
        string output = Url(good.Outputs[0].Hash);
        Directory.CreateDirectory(folder);
        File.WriteAllText(
            path,
            "cpbuild-log 4\n" +
            Checked("N\t0\tleft,right\tout") +
            Checked($"D\tsite-02\tnot-a-hash\t1\tp\t-\t0\t{inputs}\t{output}") +
            Checked($"D\tsite-03\t{fingerprint}\tnot-a-number\tp\t-\t0\t{inputs}\t{output}") +
            Checked($"D\tsite-05\t{fingerprint}\t1\tp\tnot-hex\t0\t{inputs}\t{output}") +
            Checked($"D\tsite-06\t{fingerprint}\t1\tp\t-\t1\t{inputs}\t{output}") + // a list the file does not declare
            Checked($"D\tsite-07\t{fingerprint}\t1\tp\t-\t0\t{good.Inputs[0].Hash[..8]}\t{output}") + // an input short
            Checked($"D\tsite-08\t{fingerprint}\t1\tp\t-\t0\t{inputs}\t{output[..^1]}") +
            Checked($"D\tsite-09\t={good.Fingerprint}\t1\tp\t-\t0\t{inputs}\t{output}") + // a fingerprint is always a SHA-256
            Checked("X\tsite-04") +
            Checked($"D\tsite-01\t{fingerprint}\t3\t{good.ParametersDigest}\t-\t0\t{inputs}\t{output}"));

        using BuildLog log = BuildLog.Open(folder);

        Assert.That(log.Records.Select(record => record.ItemId), Is.EqualTo(new[] { "site-01" }));
        AssertSameRecord(log.Find("site-01"), good);
    }

    [Test]
    public void The_log_is_UTF_8_without_a_byte_order_mark()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-é"));
        }

        byte[] bytes = File.ReadAllBytes(path);
        Assert.That(bytes[..13], Is.EqualTo(Encoding.ASCII.GetBytes("cpbuild-log 4")));
        using BuildLog reopened = BuildLog.Open(folder);
        AssertSameRecord(reopened.Find("site-é"), Record("site-é"));
    }

    [Test]
    public void Find_never_misses_a_known_item_while_another_thread_completes_items()
    {
        // StageRunner looks items up on worker threads while other workers complete theirs.
        var failures = 0;
        string? firstError = null;
        for (int round = 0; round < 3; round++)
        {
            using BuildLog log = BuildLog.Open(temp.PathOf($"round-{round}.log"));
            log.Complete(Record("known"));
            var done = false;
            Task[] readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                while (!Volatile.Read(ref done))
                {
                    try
                    {
                        if (log.Find("known") is null || log.WasInterrupted("known"))
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }
                    catch (Exception exception)
                    {
                        Interlocked.Increment(ref failures);
                        Interlocked.CompareExchange(ref firstError, exception.ToString(), null);
                    }
                }
            })).ToArray();

            for (int index = 0; index < 5_000; index++)
            {
                log.Begin($"site-{index:D5}", "plate-A");
                log.Complete(Record($"site-{index:D5}"));
            }

            Volatile.Write(ref done, true);
            Task.WaitAll(readers);
        }

        Assert.That(failures, Is.Zero, firstError);
    }

    [Test]
    public void A_record_with_any_byte_flipped_is_dropped_and_the_others_are_kept()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-01"));
            log.Complete(Record("site-02"));
            log.Complete(Record("site-03"));
        }

        byte[] whole = File.ReadAllBytes(path);
        int start = IndexOf(whole, "D\tsite-02");
        int end = Array.IndexOf(whole, (byte)'\n', start);
        var trusted = new List<int>();
        for (int position = start; position < end; position++)
        {
            byte[] flipped = whole.ToArray();
            flipped[position] ^= 0x01;
            File.WriteAllBytes(path, flipped);
            using BuildLog reopened = BuildLog.Open(folder);
            AssertSameRecord(reopened.Find("site-01"), Record("site-01"));
            AssertSameRecord(reopened.Find("site-03"), Record("site-03"));
            if (reopened.Records.Count != 2)
            {
                trusted.Add(position);
            }
        }

        Assert.That(trusted, Is.Empty, "positions whose flipped byte left a record trusted");
    }

    [Test]
    public void A_log_cut_short_anywhere_keeps_only_the_whole_records_before_the_cut()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Begin("site-01", "plate-A");
            log.Complete(Record("site-01"));
            log.Complete(Record("site-02"));
        }

        byte[] whole = File.ReadAllBytes(path);
        int firstDone = Array.IndexOf(whole, (byte)'\n', IndexOf(whole, "D\tsite-01")) + 1;
        for (int length = 0; length < whole.Length; length++)
        {
            File.WriteAllBytes(path, whole[..length]);
            using BuildLog cut = BuildLog.Open(folder);
            Assert.That(cut.Records.Count, Is.EqualTo(length < firstDone ? 0 : 1), $"records at length {length}");
            if (length >= firstDone)
            {
                AssertSameRecord(cut.Find("site-01"), Record("site-01"));
            }
        }
    }

    [Test]
    public void Each_group_s_records_go_to_a_file_of_its_own()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-01", group: "plate-A"));
            log.Begin("site-02", "plate-B");
            log.Complete(Record("site-02", group: "plate-B"));
            log.Begin("site-03", "plate-B");
        }

        using BuildLog reopened = BuildLog.Open(folder);

        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "plate-A.log", "plate-B.log" }));
        AssertSameRecord(reopened.Find("site-01"), Record("site-01", group: "plate-A"));
        AssertSameRecord(reopened.Find("site-02"), Record("site-02", group: "plate-B"));
        Assert.That(reopened.WasInterrupted("site-03"), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(folder, "plate-A.log")), Does.Not.Contain("site-02"));
    }

    [Test]
    public void Compact_rewrites_the_files_of_the_groups_appended_to_and_no_other()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-01", group: "plate-A"));
            log.Complete(Record("site-02", group: "plate-B"));
            log.Compact();
        }

        string other = Path.Combine(folder, "plate-B.log");
        FileStamp untouched = FileStatReader.TryRead(path)!.Value;
        FileStamp rewritten = FileStatReader.TryRead(other)!.Value;
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Begin("site-02", "plate-B");
            log.Complete(Record("site-02", version: "2", group: "plate-B"));
            log.Compact();
        }

        Assert.That(FileStatReader.TryRead(path), Is.EqualTo(untouched));
        Assert.That(FileStatReader.TryRead(other), Is.Not.EqualTo(rewritten));
        using BuildLog reopened = BuildLog.Open(folder);
        AssertSameRecord(reopened.Find("site-01"), Record("site-01", group: "plate-A"));
        AssertSameRecord(reopened.Find("site-02"), Record("site-02", version: "2", group: "plate-B"));
    }

    [TestCase("BR00116991", "BR00116991.log")]
    [TestCase("a/b c", "a%2Fb%20c.log")]
    [TestCase("..", "%2E..log")]
    [TestCase("é", "%C3%A9.log")]
    public void A_group_s_file_is_named_after_it_with_other_characters_escaped(string group, string fileName)
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-01", group: group));
        }

        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { fileName }));
        using BuildLog reopened = BuildLog.Open(folder);
        AssertSameRecord(reopened.Find("site-01"), Record("site-01", group: group));
    }

    [Test]
    public void An_item_found_in_two_groups_files_is_rebuilt_and_compaction_keeps_it_in_one()
    {
        using (BuildLog log = BuildLog.Open(folder))
        {
            log.Complete(Record("site-01", group: "plate-A"));
            log.Complete(Record("site-01", group: "plate-B")); // its group changed
        }

        using (BuildLog both = BuildLog.Open(folder))
        {
            Assert.That(both.WasInterrupted("site-01"), Is.True);
            both.Begin("site-01", "plate-B");
            both.Complete(Record("site-01", group: "plate-B"));
            both.Compact();
        }

        using BuildLog reopened = BuildLog.Open(folder);
        Assert.That(reopened.WasInterrupted("site-01"), Is.False);
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { "plate-B.log" }));
    }

    [Test]
    public void A_single_file_log_of_the_previous_format_is_deleted()
    {
        string old = temp.Write(Path.Combine("logs", "copy.log"), "cpbuild-log 1\nB\tsite-01\n");

        using BuildLog log = BuildLog.Open(folder);

        Assert.That(File.Exists(old), Is.False);
        Assert.That(log.WasInterrupted("site-01"), Is.False);
    }

    /// <summary><paramref name="record"/> with inputs and outputs of other names, hashed after them.</summary>
    private static BuildRecord Renamed(BuildRecord record, string[] inputs, string[] outputs) => record with
    {
        Inputs = inputs.Select(name => new HashedName(name, ContentHash.OfText($"{name} {record.ItemId}"))).ToArray(),
        Outputs = outputs.Select(name => new HashedName(name, ContentHash.OfText($"{name} {record.ItemId} out"))).ToArray(),
    };

    /// <summary>
    /// A record line of format 4 as the log writes it, for records of <see cref="Record"/>'s shape: list 0 (left,
    /// right; out), 8 digits of each input's hash, the fingerprint and output hash in base64url.
    /// </summary>
    private static string Format4(string kind, string id, BuildRecord record, string digest, string stamps) =>
        Checked($"{kind}\t{id}\t{Url(record.Fingerprint)}\t{record.RecipeVersion}\t{digest}\t{stamps}\t0\t{record.Inputs[0].Hash[..8]},{record.Inputs[1].Hash[..8]}\t{Url(record.Outputs[0].Hash)}");

    /// <summary>The same record as format 3 spelled it: names inline, hashes in hex.</summary>
    private static string Format3(string kind, string id, BuildRecord record, string digest, string stamps) =>
        Checked($"{kind}\t{id}\t{record.Fingerprint}\t{record.RecipeVersion}\t{digest}\t{stamps}\tleft={record.Inputs[0].Hash[..8]},right={record.Inputs[1].Hash[..8]}\tout={record.Outputs[0].Hash}");

    /// <summary>Item site-01 of plate-A as format 2 spelled it: its group, full input hashes, no stamps.</summary>
    private static string Format2(BuildRecord record, string digest) =>
        Checked($"D\tsite-01\tplate-A\t{record.Fingerprint}\t{record.RecipeVersion}\t{digest}\tleft={record.Inputs[0].Hash},right={record.Inputs[1].Hash}\tout={record.Outputs[0].Hash}");

    /// <summary>A SHA-256 as format 4 spells it: its bytes in base64url, unpadded.</summary>
    private static string Url(string hash) => Base64Url.EncodeToString(Convert.FromHexString(hash));

    /// <summary>A line as the log writes it: the text, a tab, its CRC-32 in hex, a line break.</summary>
    private static string Checked(string line) =>
        $"{line}\t{Crc32.HashToUInt32(Encoding.UTF8.GetBytes(line)):x8}\n";

    private static int IndexOf(byte[] content, string text)
    {
        int index = content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text));
        Assume.That(index, Is.GreaterThanOrEqualTo(0), text);
        return index;
    }
}
