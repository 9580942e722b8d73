using System.Buffers.Binary;
using System.Text;

namespace CellPainting.Stages.Torch;

/// <summary>A cursor over tensor-pickle bytes whose errors name the byte offset where parsing failed.</summary>
internal ref struct PickleReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _at;

    public readonly bool AtEnd => _at == _bytes.Length;

    public byte Byte()
    {
        if (_at >= _bytes.Length)
        {
            throw Fail("the pickle ends early");
        }

        return _bytes[_at++];
    }

    public void Expect(byte opcode, string what)
    {
        int at = _at;
        byte found = Byte();
        if (found != opcode)
        {
            throw new InvalidDataException($"Unsupported tensor pickle: expected {what} (0x{opcode:X2}) at byte {at}, found 0x{found:X2}.");
        }
    }

    /// <summary>Steps over a BINPUT or LONG_BINPUT if one follows: the memo is never read back in this form.</summary>
    public void SkipMemo()
    {
        if (_at < _bytes.Length && _bytes[_at] == PickleOpcode.BinPut)
        {
            _at++;
            Byte();
        }
        else if (_at < _bytes.Length && _bytes[_at] == PickleOpcode.LongBinPut)
        {
            _at++;
            Take(4);
        }
    }

    public void ExpectGlobal(string module, string name)
    {
        Expect(PickleOpcode.Global, $"GLOBAL {module}.{name}");
        string foundModule = Line();
        string foundName = Line();
        if (foundModule != module || foundName != name)
        {
            throw Fail($"expected GLOBAL {module}.{name}, found {foundModule}.{foundName}");
        }

        SkipMemo();
    }

    public string String()
    {
        Expect(PickleOpcode.BinUnicode, "BINUNICODE");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        if (length > int.MaxValue)
        {
            throw Fail("string length out of range");
        }

        string value = Encoding.UTF8.GetString(Take((int)length));
        SkipMemo();
        return value;
    }

    public long Int()
    {
        int at = _at;
        return Byte() switch
        {
            PickleOpcode.BinInt1 => Byte(),
            PickleOpcode.BinInt2 => BinaryPrimitives.ReadUInt16LittleEndian(Take(2)),
            PickleOpcode.BinInt => BinaryPrimitives.ReadInt32LittleEndian(Take(4)),
            var other => throw new InvalidDataException($"Unsupported tensor pickle: expected an integer (K, M or J) at byte {at}, found 0x{other:X2}."),
        };
    }

    /// <summary>A tuple of ints in any of the encodings <see cref="PickleWriter.IntTuple"/> produces.</summary>
    public long[] IntTuple()
    {
        if (Peek() == PickleOpcode.EmptyTuple)
        {
            _at++;
            return [];
        }

        bool marked = Peek() == PickleOpcode.Mark;
        if (marked)
        {
            _at++;
        }

        var items = new List<long>();
        while (Peek() is PickleOpcode.BinInt1 or PickleOpcode.BinInt2 or PickleOpcode.BinInt)
        {
            items.Add(Int());
        }

        int at = _at;
        byte close = Byte();
        bool closes = marked
            ? close == PickleOpcode.Tuple && items.Count > 3
            : (close == PickleOpcode.Tuple1 && items.Count == 1)
              || (close == PickleOpcode.Tuple2 && items.Count == 2)
              || (close == PickleOpcode.Tuple3 && items.Count == 3);
        if (!closes)
        {
            throw new InvalidDataException($"Unsupported tensor pickle: an integer tuple of {items.Count} items is closed by 0x{close:X2} at byte {at}.");
        }

        SkipMemo();
        return [.. items];
    }

    public readonly InvalidDataException Fail(string reason) =>
        new($"Unsupported tensor pickle: {reason} (at byte {_at}).");

    private readonly byte Peek() => _at < _bytes.Length ? _bytes[_at] : throw Fail("the pickle ends early");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (_bytes.Length - _at < count)
        {
            throw Fail("the pickle ends early");
        }

        var slice = _bytes.Slice(_at, count);
        _at += count;
        return slice;
    }

    private string Line()
    {
        int newline = _bytes[_at..].IndexOf((byte)'\n');
        if (newline < 0)
        {
            throw Fail("a GLOBAL operand lacks its newline");
        }

        string text = Encoding.ASCII.GetString(_bytes.Slice(_at, newline));
        _at += newline + 1;
        return text;
    }
}
