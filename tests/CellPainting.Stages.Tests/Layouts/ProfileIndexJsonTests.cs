using System.Text;
using CellPainting.Stages.Layouts;

namespace CellPainting.Stages.Tests.Layouts;

public sealed class ProfileIndexJsonTests
{
    [Test]
    public void Entries_are_written_in_the_gallery_key_order_with_null_permalinks_two_space_indent_and_a_final_newline()
    {
        byte[] json = ProfileIndexJson.Serialize(
        [
            new ProfileIndexEntry("b/P1/sites", "b/P1/P1_sites.parquet", null, null, "sha256:aa"),
            new ProfileIndexEntry("b/P1/wells", "b/P1/P1_wells.parquet", "https://x/tree/c", "https://x/blob/c/configs/a.yml", "sha256:bb"),
        ]);

        Assert.That(Encoding.UTF8.GetString(json), Is.EqualTo("""
            [
              {
                "subset": "b/P1/sites",
                "url": "b/P1/P1_sites.parquet",
                "recipe_permalink": null,
                "config_permalink": null,
                "etag": "sha256:aa"
              },
              {
                "subset": "b/P1/wells",
                "url": "b/P1/P1_wells.parquet",
                "recipe_permalink": "https://x/tree/c",
                "config_permalink": "https://x/blob/c/configs/a.yml",
                "etag": "sha256:bb"
              }
            ]

            """));
    }
}
