using System.Diagnostics;
using System.Globalization;
using CellPainting.Stages.Torch;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Torch;

public sealed class TorchSerializationIdTests
{
    private const string GxxPath = "/usr/bin/g++";

    // PyTorchStreamWriter::writeSerializationId: files_written_ is a std::unordered_set<std::string> filled
    // in write order; the id walks it and folds c10::hash_combine over std::hash of each name.
    private const string UnorderedSetWalk = """
        #include <cstdio>
        #include <string>
        #include <unordered_set>
        int main() {
          std::unordered_set<std::string> files_written;
          for (const char* name : {"data.pkl", ".format_version", ".storage_alignment", "byteorder", "data/0", "version"})
            files_written.insert(name);
          size_t combined = 0;
          for (const std::string& name : files_written) {
            size_t h = std::hash<std::string>{}(name);
            combined = combined ^ (h + 0x9e3779b9 + (combined << 6u) + (combined >> 2u));
          }
          std::printf("%zu\n", combined);
        }
        """;

    [Test]
    public void The_name_half_equals_torchs_unordered_set_walk_compiled_with_gxx()
    {
        if (!File.Exists(GxxPath))
        {
            Assert.Ignore($"{GxxPath} is not installed; this check compiles the libstdc++ walk it replays.");
        }

        using var scratch = new TempDirectory();
        File.WriteAllText(scratch.PathOf("walk.cpp"), UnorderedSetWalk);
        Execute(GxxPath, "-O1", "-o", scratch.PathOf("walk"), scratch.PathOf("walk.cpp"));
        ulong expected = ulong.Parse(Execute(scratch.PathOf("walk")).Trim(), CultureInfo.InvariantCulture);

        Assert.That(TorchSerializationId.CombineNameHashes(TorchSerializationId.BareTensorRecordsInHashSetOrder), Is.EqualTo(expected));
    }

    [Test]
    public void Both_halves_are_written_as_twenty_zero_padded_digits() =>
        Assert.That(TorchSerializationId.Format(42, ulong.MaxValue), Is.EqualTo("00000000000000000042" + "18446744073709551615"));

    [Test]
    public void The_combine_step_is_boosts_hash_combine() =>
        // seed ^ (value + 0x9e3779b9 + (seed << 6) + (seed >> 2)), worked by hand for seed 4, value 1.
        Assert.That(TorchSerializationId.Combine(4, 1), Is.EqualTo(4UL ^ (1UL + 0x9E3779B9UL + 256UL + 1UL)));

    private static string Execute(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errorTask = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        string error = errorTask.GetAwaiter().GetResult();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{program} failed: {error}");
        return output;
    }
}
