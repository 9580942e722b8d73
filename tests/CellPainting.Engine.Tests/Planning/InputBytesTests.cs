using System.Text;
using CellPainting.Engine.Items;
using CellPainting.Engine.Planning;
using CellPainting.Engine.State;
using CellPainting.TestSupport;

namespace CellPainting.Engine.Tests.Planning;

public sealed class InputBytesTests
{
    private TempDirectory temp = null!;
    private string path = null!;

    [SetUp]
    public void CreateFile()
    {
        temp = new TempDirectory();
        path = temp.Write("in/left.txt", "left content");
    }

    [TearDown]
    public void DeleteTempDirectory() => temp.Dispose();

    [Test]
    public void A_file_is_read_whole_into_exactly_its_length()
    {
        InputBytes bytes = InputBytes.ReadStable(path, FileStatReader.TryRead(path)!.Value);

        Assert.That(Encoding.UTF8.GetString(bytes.Span), Is.EqualTo("left content"));
    }

    [TestCase("left content and more", TestName = "A_file_that_grew_after_its_stamp_was_taken_is_not_trusted")]
    [TestCase("left", TestName = "A_file_that_shrank_after_its_stamp_was_taken_is_not_trusted")]
    public void A_file_whose_length_changed_after_its_stamp_was_taken_is_not_trusted(string content)
    {
        FileStamp stamp = FileStatReader.TryRead(path)!.Value;
        File.WriteAllText(path, content);

        var thrown = Assert.Throws<ItemFailedException>(() => InputBytes.ReadStable(path, stamp));

        Assert.That(thrown!.Message, Is.EqualTo($"{path} changed while it was being read"));
    }

    [Test]
    public void Returned_bytes_can_no_longer_be_read_and_returning_twice_is_harmless()
    {
        InputBytes bytes = InputBytes.ReadStable(path, FileStatReader.TryRead(path)!.Value);

        bytes.Return();
        bytes.Return();

        Assert.Throws<ObjectDisposedException>(() => _ = bytes.Span.Length);
    }

    [Test]
    public void Fetched_bytes_are_their_own_array()
    {
        byte[] fetched = Encoding.UTF8.GetBytes("fetched");

        InputBytes bytes = InputBytes.Own(fetched);

        Assert.That(bytes.Span.ToArray(), Is.EqualTo(fetched));
    }
}
