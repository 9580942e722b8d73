using System.Runtime.InteropServices;
using System.Text.Json;
using CellPainting.Stages.Torch;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Torch;

/// <summary>Checks the .pt files against the installed PyTorch (Debian's 1.13) and Python's zipfile.</summary>
public sealed class TorchFileInteropTests
{
    private const string LoadScript = """
        import inspect, json, sys
        import numpy as np, torch
        path, raw = sys.argv[1], sys.argv[2]
        expected = torch.from_numpy(np.fromfile(raw, dtype="<f4"))
        t = torch.load(path, weights_only=True)
        storage = t.untyped_storage().nbytes() // 4 if hasattr(t, "untyped_storage") else t.storage().size()
        facts = {
            "dtype": str(t.dtype),
            "shape": list(t.shape),
            "contiguous": t.is_contiguous(),
            "storage_numel": storage,
            "numel": t.numel(),
            "bits_equal": bool(torch.equal(t.reshape(-1).view(torch.int32), expected.view(torch.int32))),
            "mmap_supported": "mmap" in inspect.signature(torch.load).parameters,
        }
        if facts["mmap_supported"]:
            m = torch.load(path, weights_only=True, mmap=True)
            facts["mmap_bits_equal"] = bool(torch.equal(m.reshape(-1).view(torch.int32), expected.view(torch.int32)))
        print(json.dumps(facts))
        """;

    private const string ZipScript = """
        import json, sys, zipfile
        with zipfile.ZipFile(sys.argv[1]) as z:
            print(json.dumps({"testzip": z.testzip(), "names": z.namelist(),
                              "stored": all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())}))
        """;

    // Feeds our records, in our order, to PyTorch's own C++ stream writer (miniz) and compares the files.
    private const string MinizScript = """
        import json, os, sys, zipfile
        import torch
        ours, folder = sys.argv[1], sys.argv[2]
        with zipfile.ZipFile(ours) as z:
            records = [(i.filename.split("/", 1)[1], z.read(i.filename)) for i in z.infolist()]
            stem = z.infolist()[0].filename.split("/", 1)[0]
        path = os.path.join(folder, stem + ".pt")
        writer = torch._C.PyTorchFileWriter(path)
        for name, data in records:
            writer.write_record(name, data, len(data))
        writer.write_end_of_file()
        del writer
        a, b = open(ours, "rb").read(), open(path, "rb").read()
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), None if len(a) == len(b) else min(len(a), len(b)))
        print(json.dumps({"identical": a == b, "first_difference": first, "ours": len(a), "torch": len(b)}))
        """;

    // The id torch >= 2.1 computes: std::hash of the names (libstdc++'s _Hash_bytes, called through ctypes)
    // folded in unordered_set order, then zlib CRC-32s folded in write order, each with c10::hash_combine.
    private const string SerializationIdScript = """
        import ctypes, json, sys, zipfile, zlib
        M = (1 << 64) - 1
        def combine(seed, value):
            return (seed ^ ((value + 0x9E3779B9 + ((seed << 6) & M) + (seed >> 2)) & M)) & M
        libstdcxx = ctypes.CDLL("libstdc++.so.6")
        hash_bytes = libstdcxx._ZSt11_Hash_bytesPKvmm
        hash_bytes.restype = ctypes.c_size_t
        hash_bytes.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_size_t]
        with zipfile.ZipFile(sys.argv[1]) as z:
            infos = z.infolist()
            written = [i.filename.split("/", 1)[1] for i in infos[:-1]]
            crcs = [zlib.crc32(z.read(i.filename)) for i in infos[:-1] if i.file_size > 0]
            stored = z.read(infos[-1].filename).decode()
        names = 0
        for name in reversed(written):  # libstdc++'s walk order for these six names (see the g++ test)
            names = combine(names, hash_bytes(name.encode(), len(name.encode()), 0xC70F6907))
        folded = 0
        for crc in crcs:
            folded = combine(folded, crc)
        print(json.dumps({"stored": stored, "expected": "%020d%020d" % (names, folded)}))
        """;

    private const string SaveScript = """
        import sys
        import numpy as np, torch
        folder = sys.argv[1]
        generator = torch.Generator().manual_seed(5)
        tensors = {"r09c10f11": torch.arange(15, dtype=torch.float32).reshape(5, 3) * 0.25 - 1,
                   "r01c01f01": torch.rand(5, 8, 8, generator=generator)}
        for stem, t in tensors.items():
            torch.save(t, f"{folder}/{stem}.pt")
            t.numpy().astype("<f4").tofile(f"{folder}/{stem}.bin")
        torch.save(torch.zeros(4, 5, 3)[1], f"{folder}/view.pt")
        """;

    private const string PickleScript = """
        import json, sys, zipfile
        import torch
        folder, shapes = sys.argv[1], json.loads(sys.argv[2])
        for i, shape in enumerate(shapes):
            torch.save(torch.zeros(shape, dtype=torch.float32), f"{folder}/s{i}.pt")
            with zipfile.ZipFile(f"{folder}/s{i}.pt") as z:
                open(f"{folder}/s{i}.pkl", "wb").write(z.read(f"s{i}/data.pkl"))
        """;

    [TestCase(new[] { 5, 8, 8 })]
    [TestCase(new[] { 5, 3 })]
    public void A_csharp_written_tensor_loads_in_torch_with_weights_only_and_equal_values(int[] shape)
    {
        SystemPython.Require("torch", "numpy");
        using var scratch = new TempDirectory();
        float[] values = RandomValues(shape.Aggregate(1, (a, b) => a * b), seed: shape.Length);
        string path = WriteFile(scratch, "r01c01f01", shape, values);
        File.WriteAllBytes(scratch.PathOf("expected.bin"), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

        using var facts = JsonDocument.Parse(SystemPython.Run(LoadScript, path, scratch.PathOf("expected.bin")));
        var root = facts.RootElement;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("dtype").GetString(), Is.EqualTo("torch.float32"));
            Assert.That(root.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(shape));
            Assert.That(root.GetProperty("contiguous").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("storage_numel").GetInt32(), Is.EqualTo(values.Length));
            Assert.That(root.GetProperty("numel").GetInt32(), Is.EqualTo(values.Length));
            Assert.That(root.GetProperty("bits_equal").GetBoolean(), Is.True);
        }

        // torch 1.13 has no torch.load(mmap=True) (it came with 2.1); where it exists it must agree too.
        if (root.GetProperty("mmap_supported").GetBoolean())
        {
            Assert.That(root.GetProperty("mmap_bits_equal").GetBoolean(), Is.True, "torch.load(mmap=True)");
        }
        else
        {
            TestContext.Out.WriteLine("torch.load has no mmap parameter in this torch version; mmap loading was not checked.");
        }
    }

    [Test]
    public void Pythons_zipfile_reads_the_archive_and_finds_every_crc_right()
    {
        SystemPython.Require("zipfile");
        using var scratch = new TempDirectory();
        string path = WriteFile(scratch, "r01c01f01", [5, 8, 8], RandomValues(320, seed: 1));

        using var facts = JsonDocument.Parse(SystemPython.Run(ZipScript, path));
        var root = facts.RootElement;

        Assert.That(root.GetProperty("testzip").ValueKind, Is.EqualTo(JsonValueKind.Null), "testzip names the first bad member");
        Assert.That(root.GetProperty("stored").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("names").GetArrayLength(), Is.EqualTo(7));
    }

    [TestCase("r01c01f01", new[] { 5, 8, 8 })]
    [TestCase("r16c24f09", new[] { 5, 3 })]
    [TestCase("e", new[] { 5, 0, 3 })]
    public void The_file_is_byte_identical_to_what_pytorchs_own_zip_writer_makes_of_the_same_records(string stem, int[] shape)
    {
        SystemPython.Require("torch");
        using var scratch = new TempDirectory();
        string path = WriteFile(scratch, stem, shape, RandomValues(shape.Aggregate(1, (a, b) => a * b), seed: 2));
        Directory.CreateDirectory(scratch.PathOf("miniz"));

        using var facts = JsonDocument.Parse(SystemPython.Run(MinizScript, path, scratch.PathOf("miniz")));

        Assert.That(facts.RootElement.GetProperty("identical").GetBoolean(), Is.True, facts.RootElement.ToString());
    }

    [Test]
    public void The_serialization_id_is_the_one_torchs_scheme_gives_computed_independently_in_python()
    {
        SystemPython.Require("zipfile", "ctypes", "zlib");
        using var scratch = new TempDirectory();
        string path = WriteFile(scratch, "r03c04f05", [5, 8, 8], RandomValues(320, seed: 3));

        using var facts = JsonDocument.Parse(SystemPython.Run(SerializationIdScript, path));

        Assert.That(facts.RootElement.GetProperty("stored").GetString(), Is.EqualTo(facts.RootElement.GetProperty("expected").GetString()));
    }

    [Test]
    public void Files_torch_1_13_saved_read_back_with_their_stem_shape_and_values()
    {
        SystemPython.Require("torch", "numpy");
        using var scratch = new TempDirectory();
        SystemPython.Run(SaveScript, scratch.Root);

        foreach (var (stem, shape) in new[] { ("r09c10f11", new[] { 5, 3 }), ("r01c01f01", new[] { 5, 8, 8 }) })
        {
            using var file = File.OpenRead(scratch.PathOf(stem + ".pt"));
            var tensor = TorchFile.ReadFloat32(file);
            float[] expected = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(scratch.PathOf(stem + ".bin"))).ToArray();

            using (Assert.EnterMultipleScope())
            {
                Assert.That(tensor.RecordPrefix, Is.EqualTo(stem));
                Assert.That(tensor.Shape, Is.EqualTo(shape));
                Assert.That(tensor.Data.ToArray(), Is.EqualTo(expected));
            }
        }
    }

    [Test]
    public void A_view_torch_saved_with_its_whole_storage_is_rejected_clearly()
    {
        SystemPython.Require("torch", "numpy");
        using var scratch = new TempDirectory();
        SystemPython.Run(SaveScript, scratch.Root);
        using var file = File.OpenRead(scratch.PathOf("view.pt"));

        Assert.That(() => TorchFile.ReadFloat32(file),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains("15 elements from offset 15").And.Message.Contains("60-element storage"));
    }

    [Test]
    public void The_pickle_matches_torch_save_for_every_kind_of_shape()
    {
        SystemPython.Require("torch");
        int[][] shapes =
        [
            [], [2], [5, 3], [5, 1024], [5, 8, 8], [5, 224, 224], [5, 384, 384], [5, 0, 3], [2, 3, 4, 300], [70000], [1, 1, 1, 1, 1],
        ];
        using var scratch = new TempDirectory();
        SystemPython.Run(PickleScript, scratch.Root, JsonSerializer.Serialize(shapes));

        for (int i = 0; i < shapes.Length; i++)
        {
            long count = shapes[i].Aggregate(1L, (a, b) => a * b);
            Assert.That(TensorPickle.Write(shapes[i], count), Is.EqualTo(File.ReadAllBytes(scratch.PathOf($"s{i}.pkl"))), $"shape ({string.Join(",", shapes[i])})");
        }
    }

    private static string WriteFile(TempDirectory scratch, string stem, int[] shape, float[] values)
    {
        string path = scratch.PathOf(stem + ".pt");
        using var file = File.Create(path);
        TorchFile.WriteFloat32(file, stem, shape, values);
        return path;
    }

    private static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)random.NextDouble())];
    }
}
