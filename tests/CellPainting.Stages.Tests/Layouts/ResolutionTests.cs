using CellPainting.Stages.Layouts;

namespace CellPainting.Stages.Tests.Layouts;

public sealed class ResolutionTests
{
    [TestCase(1.0, "1_0mpp")]
    [TestCase(0.65, "0_65mpp")]
    [TestCase(1.68188, "1_682mpp")]
    [TestCase(2.5, "2_5mpp")]
    public void Folder_names_write_the_microns_per_pixel_with_an_underscore_for_the_dot(double mpp, string folder)
    {
        Assert.That(new Resolution(mpp).FolderName, Is.EqualTo(folder));
    }

    [Test]
    public void The_tensors_resolution_is_the_raw_pixel_size_scaled_by_the_resize()
    {
        // CPJUMP1: 1080 px fields at 0.598 µm resized to 384.
        Assert.That(Resolution.OfTensors(0.598, 1080, 384).FolderName, Is.EqualTo("1_682mpp"));
    }
}
