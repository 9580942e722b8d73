using System.Buffers.Binary;
using System.Text;

namespace CellPainting.Stages.Torch;

/// <summary>Emits protocol-2 opcodes and numbers memo slots the way CPython's pickler does.</summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream _bytes = new();
    private int _memo;

    public void Op(byte opcode) => _bytes.WriteByte(opcode);

    public void Protocol2()
    {
        Op(PickleOpcode.Proto);
        Op(2);
    }

    /// <summary>BINPUT the object just built into the next memo slot (LONG_BINPUT past 255).</summary>
    public void Memoize()
    {
        if (_memo < 256)
        {
            Op(PickleOpcode.BinPut);
            Op((byte)_memo);
        }
        else
        {
            Op(PickleOpcode.LongBinPut);
            WriteUInt32((uint)_memo);
        }

        _memo++;
    }

    public void Global(string module, string name)
    {
        Op(PickleOpcode.Global);
        _bytes.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        Memoize();
    }

    public void String(string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        Op(PickleOpcode.BinUnicode);
        WriteUInt32((uint)utf8.Length);
        _bytes.Write(utf8);
        Memoize();
    }

    /// <summary>The smallest of BININT1, BININT2 and BININT that holds the value, as Python picks; ints are not memoised.</summary>
    public void Int(long value)
    {
        switch (value)
        {
            case >= 0 and <= 0xFF:
                Op(PickleOpcode.BinInt1);
                Op((byte)value);
                break;
            case >= 0 and <= 0xFFFF:
                Op(PickleOpcode.BinInt2);
                Span<byte> two = stackalloc byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)value);
                _bytes.Write(two);
                break;
            case >= int.MinValue and <= int.MaxValue:
                Op(PickleOpcode.BinInt);
                WriteUInt32((uint)(int)value);
                break;
            default:
                throw new NotSupportedException($"Integer {value} would need LONG1, which no tensor below 2^31 elements uses.");
        }
    }

    /// <summary>Empty tuples are neither marked nor memoised; 1 to 3 items close with TUPLE1..3, more with MARK … TUPLE.</summary>
    public void IntTuple(IReadOnlyList<long> items)
    {
        if (items.Count == 0)
        {
            Op(PickleOpcode.EmptyTuple);
            return;
        }

        if (items.Count > 3)
        {
            Op(PickleOpcode.Mark);
        }

        foreach (long item in items)
        {
            Int(item);
        }

        Op(items.Count switch
        {
            1 => PickleOpcode.Tuple1,
            2 => PickleOpcode.Tuple2,
            3 => PickleOpcode.Tuple3,
            _ => PickleOpcode.Tuple,
        });
        Memoize();
    }

    public byte[] ToArray() => _bytes.ToArray();

    private void WriteUInt32(uint value)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(four, value);
        _bytes.Write(four);
    }
}
