using CellPainting.Stages.Layouts;

namespace CellPainting.Stages.Configuration;

/// <summary>Reads the <c>layout</c> section, strictly like the rest of the config (file:line: key errors).</summary>
internal static class LayoutReader
{
    public const string Morphoclip = "morphoclip";

    public static LayoutSettings Read(YamlSection? section, string endpoint, string root)
    {
        string primary = section?.Choice("primary", Morphoclip, Morphoclip) ?? Morphoclip;
        GalleryLayoutSettings gallery = ReadGallery(section?.Section("gallery"), endpoint, root);
        SporaLayoutSettings spora = ReadSpora(section?.Section("spora_io"), root);
        section?.RejectUnknownKeys();
        return new LayoutSettings(primary, gallery, spora);
    }

    private static GalleryLayoutSettings ReadGallery(YamlSection? section, string endpoint, string root)
    {
        string defaultSource = endpoint.TrimEnd('/')[(endpoint.TrimEnd('/').LastIndexOf('/') + 1)..];
        var gallery = new GalleryLayoutSettings(
            Path.GetFullPath(section?.String("root", "data/gallery") ?? "data/gallery", root),
            section?.String("source", defaultSource) ?? defaultSource,
            section?.OptionalString("repository")?.TrimEnd('/'));
        section?.RejectUnknownKeys();
        return gallery;
    }

    private static SporaLayoutSettings ReadSpora(YamlSection? section, string root)
    {
        string[] defaultSpecs = ["identity", "quantile_clipping/uq_0.99_image", "quantile_clipping/uq_0.99_global"];
        var spora = new SporaLayoutSettings(
            Path.GetFullPath(section?.String("root", "data/spora_io") ?? "data/spora_io", root),
            section?.OptionalDouble("image_mpp", 1e-6, 1e6),
            section?.Int("image_size", 1080, 1) ?? 1080,
            section?.CheckedList("standardization", defaultSpecs, StandardizationSpec.Problem) ?? defaultSpecs,
            section?.IntList("tile_sizes", [224], 1) ?? [224],
            section?.Int("tile_stride", 0, 1) is int stride and > 0 ? stride : null,
            section?.OptionalDouble("tile_tolerance", 0, 1) ?? 0);
        section?.RejectUnknownKeys();
        return spora;
    }
}
