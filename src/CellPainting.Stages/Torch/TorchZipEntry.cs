namespace CellPainting.Stages.Torch;

/// <summary>One member of a PyTorch zip archive as its central directory describes it.</summary>
/// <param name="Name">Full member name, archive prefix included (e.g. <c>r01c01f01/data/0</c>).</param>
/// <param name="Flags">General-purpose bit flags (0x0808 with a data descriptor, 0x0800 for an empty member).</param>
/// <param name="Method">Compression method; PyTorch stores every member (0).</param>
/// <param name="Crc">CRC-32 of the member's bytes.</param>
/// <param name="CompressedSize">Stored size in bytes.</param>
/// <param name="Size">Uncompressed size in bytes.</param>
/// <param name="LocalHeaderOffset">Offset of the member's local header from the start of the archive.</param>
internal readonly record struct TorchZipEntry(
    string Name,
    ushort Flags,
    ushort Method,
    uint Crc,
    uint CompressedSize,
    uint Size,
    uint LocalHeaderOffset);
