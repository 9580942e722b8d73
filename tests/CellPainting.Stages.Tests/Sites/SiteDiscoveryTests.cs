using CellPainting.Stages.Sites;
using CellPainting.TestSupport;

namespace CellPainting.Stages.Tests.Sites;

public sealed class SiteDiscoveryTests
{
    [Test]
    public void Finds_complete_sites_ignoring_brightfield_and_other_files()
    {
        using var scratch = new TempDirectory();
        Touch(scratch, "r01c01f01p01-ch{0}sk1fk1fl1.tiff", 1, 2, 3, 4, 5, 6, 7, 8);
        File.WriteAllText(scratch.PathOf("Index.idx.xml"), "<x/>");

        PlateScan scan = SiteDiscovery.Scan("BR1", scratch.Root);

        Assert.Multiple(() =>
        {
            Assert.That(scan.Error, Is.Null);
            Assert.That(scan.Sites.Single().Key.ToString(), Is.EqualTo("r01c01f01"));
            Assert.That(scan.Sites.Single().ChannelPaths, Is.EqualTo(ChannelFiles(scratch, "r01c01f01p01-ch{0}sk1fk1fl1.tiff")));
            Assert.That(scan.Incomplete, Is.Empty);
        });
    }

    [Test]
    public void Listed_images_make_the_sites_of_a_plate_whose_folder_is_not_here()
    {
        using var scratch = new TempDirectory();
        string[] listed = [.. Enumerable.Range(1, 8).Select(channel => $"r02c03f04p01-ch{channel}sk1fk1fl1.tiff"), "Index.idx.xml"];

        PlateScan scan = SiteDiscovery.Scan("BR1", scratch.PathOf("absent"), listed);

        Assert.Multiple(() =>
        {
            Assert.That(scan.Error, Is.Null);
            Assert.That(scan.Sites.Single().Key.ToString(), Is.EqualTo("r02c03f04"));
            Assert.That(scan.Sites.Single().ChannelPaths[2], Is.EqualTo(Path.Combine(scratch.PathOf("absent"), "r02c03f04p01-ch3sk1fk1fl1.tiff")));
        });
    }

    [Test]
    public void Local_files_and_listed_images_together_complete_a_site()
    {
        using var scratch = new TempDirectory();
        Touch(scratch, "r01c01f01p01-ch{0}sk1fk1fl1.tiff", 1, 2, 3);

        PlateScan scan = SiteDiscovery.Scan("BR1", scratch.Root, ["r01c01f01p01-ch3sk1fk1fl1.tiff", "r01c01f01p01-ch4sk1fk1fl1.tiff", "r01c01f01p01-ch5sk1fk1fl1.tiff"]);

        Assert.Multiple(() =>
        {
            Assert.That(scan.Sites.Single().ChannelPaths, Is.EqualTo(ChannelFiles(scratch, "r01c01f01p01-ch{0}sk1fk1fl1.tiff")));
            Assert.That(scan.Incomplete, Is.Empty);
        });
    }

    [Test]
    public void A_plate_neither_here_nor_listed_cannot_be_scanned()
    {
        using var scratch = new TempDirectory();

        PlateScan scan = SiteDiscovery.Scan("BR1", scratch.PathOf("absent"));

        Assert.That(scan.Error, Is.EqualTo($"image directory not found: {scratch.PathOf("absent")}"));
    }

    [Test]
    public void Reports_a_site_missing_a_fluorescence_channel_instead_of_dropping_it()
    {
        using var scratch = new TempDirectory();
        Touch(scratch, "r16c24f09p01-ch{0}sk1fk1fl1.tiff", 1, 2, 4, 5, 6);

        PlateScan scan = SiteDiscovery.Scan("BR1", scratch.Root);

        Assert.Multiple(() =>
        {
            Assert.That(scan.Sites, Is.Empty);
            Assert.That(scan.Incomplete.Single().Key.Well, Is.EqualTo("P24"));
            Assert.That(scan.Incomplete.Single().MissingChannels, Is.EqualTo(new[] { 3 }));
        });
    }

    [Test]
    public void Of_several_planes_the_last_in_name_order_wins_as_in_the_reference()
    {
        using var scratch = new TempDirectory();
        Touch(scratch, "r01c01f01p01-ch{0}sk1fk1fl1.tiff", 1, 2, 3, 4, 5);
        Touch(scratch, "r01c01f01p02-ch{0}sk1fk1fl1.tiff", 2);

        PlateScan scan = SiteDiscovery.Scan("BR1", scratch.Root);

        Assert.That(Path.GetFileName(scan.Sites.Single().ChannelPaths[1]), Is.EqualTo("r01c01f01p02-ch2sk1fk1fl1.tiff"));
    }

    [Test]
    public void Names_match_case_insensitively_and_accept_the_references_extensions()
    {
        using var scratch = new TempDirectory();
        Touch(scratch, "R02C03F04P01-CH{0}SK1FK1FL1.TIF", 1, 2, 3, 4, 5);
        Touch(scratch, "r01c01f01p01-ch{0}sk1fk1fl1.bmp", 1, 2, 3, 4, 5);

        PlateScan scan = SiteDiscovery.Scan("BR1", scratch.Root);

        Assert.That(scan.Sites.Select(site => site.Key.ToString()), Is.EqualTo(new[] { "r02c03f04" }));
    }

    [Test]
    public void Sites_come_in_the_references_sorted_order()
    {
        using var scratch = new TempDirectory();
        foreach (string site in new[] { "r02c01f01", "r01c10f01", "r01c02f02", "r01c02f01" })
        {
            Touch(scratch, site + "p01-ch{0}sk1fk1fl1.tiff", 1, 2, 3, 4, 5);
        }

        PlateScan scan = SiteDiscovery.Scan("BR1", scratch.Root);

        Assert.That(scan.Sites.Select(site => site.Key.ToString()), Is.EqualTo(new[] { "r01c02f01", "r01c02f02", "r01c10f01", "r02c01f01" }));
    }

    [Test]
    public void A_missing_image_directory_is_an_error_naming_it()
    {
        PlateScan scan = SiteDiscovery.Scan("BR1", "/nonexistent/Images");

        Assert.That(scan.Error, Is.EqualTo("image directory not found: /nonexistent/Images"));
    }

    /// <summary>The paths of channels 1-5 of one site, in channel order.</summary>
    private static string[] ChannelFiles(TempDirectory scratch, string pattern) =>
        [.. Enumerable.Range(1, 5).Select(channel => scratch.PathOf(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, channel)))];

    private static void Touch(TempDirectory scratch, string pattern, params int[] channels)
    {
        foreach (int channel in channels)
        {
            File.WriteAllBytes(scratch.PathOf(string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, channel)), []);
        }
    }
}
