namespace CellPainting.Stages.Torch;

/// <summary>
/// data.pkl of a torch.save'd bare tensor: <c>_rebuild_tensor_v2(("storage", torch.FloatStorage, "0", "cpu",
/// numel), 0, size, stride, False, OrderedDict())</c> as protocol 2, byte for byte what CPython's pickler
/// emits for torch; and a strict reader for that same form.
/// </summary>
internal static class TensorPickle
{
    private const string RebuildModule = "torch._utils";
    private const string RebuildName = "_rebuild_tensor_v2";
    private const string StorageModule = "torch";
    private const string FloatStorageName = "FloatStorage";
    private const string HooksModule = "collections";
    private const string HooksName = "OrderedDict";

    /// <summary>The pickle of a contiguous tensor of <paramref name="shape"/> that owns storage "0" of <paramref name="elementCount"/> floats.</summary>
    public static byte[] Write(ReadOnlySpan<int> shape, long elementCount)
    {
        var size = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            size[i] = shape[i];
        }

        var writer = new PickleWriter();
        writer.Protocol2();
        writer.Global(RebuildModule, RebuildName);
        writer.Op(PickleOpcode.Mark);
        writer.Op(PickleOpcode.Mark);
        writer.String("storage");
        writer.Global(StorageModule, FloatStorageName);
        writer.String("0");
        writer.String("cpu");
        writer.Int(elementCount);
        writer.Op(PickleOpcode.Tuple);
        writer.Memoize();
        writer.Op(PickleOpcode.BinPersId);
        writer.Int(0);
        writer.IntTuple(size);
        writer.IntTuple(ContiguousStrides(size));
        writer.Op(PickleOpcode.NewFalse);
        writer.Global(HooksModule, HooksName);
        writer.Op(PickleOpcode.EmptyTuple);
        writer.Op(PickleOpcode.Reduce);
        writer.Memoize();
        writer.Op(PickleOpcode.Tuple);
        writer.Memoize();
        writer.Op(PickleOpcode.Reduce);
        writer.Memoize();
        writer.Op(PickleOpcode.Stop);
        return writer.ToArray();
    }

    /// <summary>
    /// C-contiguous strides as torch computes them: a dimension of size 0 counts as 1, so (5,0,3) has (3,3,1).
    /// </summary>
    public static long[] ContiguousStrides(IReadOnlyList<long> size)
    {
        ArgumentNullException.ThrowIfNull(size);
        var stride = new long[size.Count];
        long step = 1;
        for (int i = size.Count - 1; i >= 0; i--)
        {
            stride[i] = step;
            step *= Math.Max(size[i], 1);
        }

        return stride;
    }

    /// <summary>
    /// Parses exactly the form <see cref="Write"/> produces, for any shape and storage key, with or without
    /// the memo BINPUTs; anything else fails with <see cref="InvalidDataException"/>.
    /// </summary>
    public static TensorPickleHeader Read(ReadOnlySpan<byte> pickle)
    {
        var reader = new PickleReader(pickle);
        reader.Expect(PickleOpcode.Proto, "PROTO");
        if (reader.Byte() != 2)
        {
            throw reader.Fail("the pickle protocol must be 2");
        }

        reader.ExpectGlobal(RebuildModule, RebuildName);
        reader.Expect(PickleOpcode.Mark, "MARK before the rebuild arguments");
        reader.Expect(PickleOpcode.Mark, "MARK before the persistent id");
        if (reader.String() != "storage")
        {
            throw reader.Fail("the persistent id must start with \"storage\"");
        }

        reader.ExpectGlobal(StorageModule, FloatStorageName);
        string key = reader.String();
        string location = reader.String();
        long elementCount = reader.Int();
        reader.Expect(PickleOpcode.Tuple, "TUPLE closing the persistent id");
        reader.SkipMemo();
        reader.Expect(PickleOpcode.BinPersId, "BINPERSID");
        long offset = reader.Int();
        long[] size = reader.IntTuple();
        long[] stride = reader.IntTuple();
        reader.Expect(PickleOpcode.NewFalse, "False (requires_grad)");
        reader.ExpectGlobal(HooksModule, HooksName);
        reader.Expect(PickleOpcode.EmptyTuple, "the empty argument tuple of OrderedDict()");
        reader.Expect(PickleOpcode.Reduce, "REDUCE building OrderedDict()");
        reader.SkipMemo();
        reader.Expect(PickleOpcode.Tuple, "TUPLE closing the rebuild arguments");
        reader.SkipMemo();
        reader.Expect(PickleOpcode.Reduce, "REDUCE calling _rebuild_tensor_v2");
        reader.SkipMemo();
        reader.Expect(PickleOpcode.Stop, "STOP");
        if (!reader.AtEnd)
        {
            throw reader.Fail("bytes follow STOP");
        }

        return new TensorPickleHeader(key, location, elementCount, offset, size, stride);
    }
}
