namespace CellPainting.Stages.Torch;

/// <summary>The pickle opcodes a torch.save tensor pickle uses (CPython Lib/pickle.py names).</summary>
internal static class PickleOpcode
{
    public const byte Proto = 0x80;
    public const byte Global = (byte)'c';
    public const byte BinPut = (byte)'q';
    public const byte LongBinPut = (byte)'r';
    public const byte Mark = (byte)'(';
    public const byte Tuple = (byte)'t';
    public const byte Tuple1 = 0x85;
    public const byte Tuple2 = 0x86;
    public const byte Tuple3 = 0x87;
    public const byte EmptyTuple = (byte)')';
    public const byte BinUnicode = (byte)'X';
    public const byte BinInt1 = (byte)'K';
    public const byte BinInt2 = (byte)'M';
    public const byte BinInt = (byte)'J';
    public const byte NewFalse = 0x89;
    public const byte BinPersId = (byte)'Q';
    public const byte Reduce = (byte)'R';
    public const byte Stop = (byte)'.';
}
