using CellPainting.Engine.IO;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Tests.IO;

public sealed class HashingStreamTests
{
    [Test]
    public void Every_write_overload_reaches_the_inner_stream_and_the_hash()
    {
        using var inner = new MemoryStream();
        using var hashing = new HashingStream(inner);

        hashing.Write([1, 2, 3, 4, 5], 1, 3);
        hashing.Write(new ReadOnlySpan<byte>([6, 7]));
        hashing.WriteByte(8);
        using (var source = new MemoryStream([9, 10, 11]))
        {
            source.CopyTo(hashing);
        }

        byte[] expected = [2, 3, 4, 6, 7, 8, 9, 10, 11];
        Assert.That(inner.ToArray(), Is.EqualTo(expected));
        Assert.That(hashing.Length, Is.EqualTo(expected.Length));
        Assert.That(hashing.Position, Is.EqualTo(expected.Length));
        Assert.That(hashing.FinishHash(), Is.EqualTo(ContentHash.Of(expected)));
    }

    [Test]
    public void Nothing_written_hashes_like_empty_content()
    {
        using var hashing = new HashingStream(Stream.Null);

        Assert.That(hashing.FinishHash(), Is.EqualTo(ContentHash.Of([])));
    }

    [Test]
    public void It_cannot_be_read_or_seeked()
    {
        using var hashing = new HashingStream(new MemoryStream());

        Assert.That(hashing.CanRead, Is.False);
        Assert.That(hashing.CanSeek, Is.False);
        Assert.Throws<NotSupportedException>(() => hashing.ReadByte());
        Assert.Throws<NotSupportedException>(() => hashing.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => hashing.Position = 0);
    }

    [Test]
    public void Disposing_it_leaves_the_inner_stream_open()
    {
        using var inner = new MemoryStream();
        using (var hashing = new HashingStream(inner))
        {
            hashing.WriteByte(1);
        }

        Assert.That(inner.CanWrite, Is.True);
    }
}
