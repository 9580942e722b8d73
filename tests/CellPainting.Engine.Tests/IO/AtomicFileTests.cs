using System.Text;
using CellPainting.Engine.IO;
using CellPainting.Engine.Tests.Fakes;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.IO;

public sealed class AtomicFileTests
{
    private TempDirectory temp = null!;

    [SetUp]
    public void CreateTempDirectory() => temp = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void A_writer_that_throws_leaves_the_old_content_and_no_temporary_file()
    {
        string path = temp.Write("target.txt", "old content");

        var thrown = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial new con"u8);
            stream.Flush();
            throw new InvalidOperationException("writer failed");
        }));

        Assert.That(thrown!.Message, Is.EqualTo("writer failed"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old content"));
        Assert.That(Directory.GetFiles(temp.Root).Select(Path.GetFileName), Is.EqualTo(new[] { "target.txt" }));
    }

    [Test]
    public void A_writer_that_throws_creates_no_target_when_there_was_none()
    {
        string path = temp.PathOf("target.txt");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new IOException("disk on fire");
        }));

        Assert.That(Directory.GetFiles(temp.Root), Is.Empty);
    }

    [Test]
    public void While_the_writer_runs_the_target_still_holds_the_old_content()
    {
        string path = temp.Write("target.txt", "old content");
        string? seenDuringWrite = null;

        AtomicFile.Write(path, stream =>
        {
            stream.Write("new content"u8);
            stream.Flush();
            seenDuringWrite = File.ReadAllText(path);
        });

        Assert.That(seenDuringWrite, Is.EqualTo("old content"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("new content"));
    }

    [Test]
    public void A_successful_write_replaces_the_content_and_leaves_only_the_target()
    {
        string path = temp.Write("target.txt", "a much longer old content");

        AtomicFile.WriteAllText(path, "new");

        Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
        Assert.That(Directory.GetFiles(temp.Root).Select(Path.GetFileName), Is.EqualTo(new[] { "target.txt" }));
    }

    [Test]
    public void Missing_folders_are_created()
    {
        string path = temp.PathOf("a", "b", "target.bin");

        AtomicFile.WriteAllBytes(path, [1, 2, 3]);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void Text_is_written_as_UTF_8_without_a_byte_order_mark()
    {
        string path = temp.PathOf("target.txt");

        AtomicFile.WriteAllText(path, "é");

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(Encoding.UTF8.GetBytes("é")));
    }

    [Test]
    public void RemoveLeftovers_deletes_the_temporary_files_of_the_given_paths_only()
    {
        string target = temp.Write("out/site.pt", "built");
        string leftover = temp.Write($"out/site.pt{AtomicFile.TemporaryMarker}4242-0123456789abcdef0123456789abcdef", "half");
        string otherTarget = temp.Write($"out/other.pt{AtomicFile.TemporaryMarker}4242-0123456789abcdef0123456789abcdef", "not ours to judge");
        string[] lookalikes =
        [
            temp.Write($"out/site.pt{AtomicFile.TemporaryMarker}notes.txt", "a user's file"),
            temp.Write($"out/site.pt{AtomicFile.TemporaryMarker}4242-0123456789ABCDEF0123456789ABCDEF", "upper case: not our spelling"),
            temp.Write($"out/site.pt{AtomicFile.TemporaryMarker}4242-0123456789abcdef", "too short"),
            temp.Write("out/site.pt.tmp", "no marker"),
        ];

        int removed = AtomicFile.RemoveLeftovers([target]);

        Assert.That(removed, Is.EqualTo(1));
        Assert.That(File.Exists(leftover), Is.False);
        Assert.That(lookalikes.Append(target).Append(otherTarget).Where(path => !File.Exists(path)), Is.Empty);
    }

    [Test]
    public void RemoveLeftovers_finds_what_a_writer_killed_mid_write_leaves()
    {
        string path = temp.PathOf("out", "site.pt");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            // A killed process never reaches the clean-up: leave a file named as this writer's temporary one, as if
            // by another process, before this writer removes its own.
            string temporary = Directory.GetFiles(temp.PathOf("out")).Single();
            File.WriteAllText(temporary.Replace($"{AtomicFile.TemporaryMarker}{Environment.ProcessId}-", $"{AtomicFile.TemporaryMarker}1-", StringComparison.Ordinal), "partial");
            throw new InvalidOperationException("killed");
        }));
        Assert.That(Directory.GetFiles(temp.PathOf("out")), Has.Length.EqualTo(1), "the left-over copy");

        Assert.That(AtomicFile.RemoveLeftovers([path]), Is.EqualTo(1));
        Assert.That(Directory.GetFiles(temp.PathOf("out")), Is.Empty);
    }

    [Test]
    public void RemoveLeftovers_skips_folders_that_do_not_exist()
    {
        Assert.That(AtomicFile.RemoveLeftovers([temp.PathOf("missing", "site.pt")]), Is.Zero);
    }

    [TestCase("site.pt.tmp-42-0123456789abcdef0123456789abcdef", ExpectedResult = true)]
    [TestCase("site.pt.tmp-42-0123456789abcdef", ExpectedResult = false)]
    [TestCase("site.pt.tmp-x-0123456789abcdef0123456789abcdef", ExpectedResult = false)]
    [TestCase("notes.tmp-draft", ExpectedResult = false)]
    [TestCase(".tmp-42-0123456789abcdef0123456789abcdef", ExpectedResult = false)]
    public bool Only_names_of_the_form_its_writer_uses_are_temporary_names(string name) => AtomicFile.IsTemporaryName(name);
}
