using System.Globalization;
using System.Text;

namespace CellPainting.Stages.Torch;

/// <summary>
/// The 40-digit .data/serialization_id a current PyTorchStreamWriter stores: 20 zero-padded digits of the
/// combined hash of the record names, then 20 of the combined CRC-32s of the records' data descriptors.
/// torch.load only logs it, but writing torch's value keeps our files byte-comparable with torch.save's.
/// </summary>
internal static class TorchSerializationId
{
    /// <summary>
    /// The records of a bare single-storage tensor archive, in the order torch combines their name hashes:
    /// it walks a libstdc++ std::unordered_set, and for these six names (inserted in write order) that
    /// order is the reverse of the write order (checked with g++ 12; the test suite re-checks it when g++
    /// is installed). The names carry no archive prefix, so this half of the id is the same in every file.
    /// </summary>
    internal static readonly string[] BareTensorRecordsInHashSetOrder =
        ["version", "data/0", "byteorder", ".storage_alignment", ".format_version", "data.pkl"];

    /// <summary>c10::hash_combine (the Boost formula) on 64-bit size_t.</summary>
    public static ulong Combine(ulong seed, ulong value) =>
        seed ^ (value + 0x9E3779B9UL + (seed << 6) + (seed >> 2));

    public static ulong CombineNameHashes(IEnumerable<string> recordNamesInSetOrder)
    {
        ArgumentNullException.ThrowIfNull(recordNamesInSetOrder);
        ulong combined = 0;
        foreach (string name in recordNamesInSetOrder)
        {
            combined = Combine(combined, LibStdCxxStringHash.Hash(Encoding.UTF8.GetBytes(name)));
        }

        return combined;
    }

    /// <summary>The id text for a bare tensor archive whose descriptors combined to <paramref name="combinedDescriptorCrc"/>.</summary>
    public static string ForBareTensor(ulong combinedDescriptorCrc) =>
        Format(CombineNameHashes(BareTensorRecordsInHashSetOrder), combinedDescriptorCrc);

    public static string Format(ulong combinedNameHash, ulong combinedDescriptorCrc) =>
        combinedNameHash.ToString("D20", CultureInfo.InvariantCulture)
        + combinedDescriptorCrc.ToString("D20", CultureInfo.InvariantCulture);
}
