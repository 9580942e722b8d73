using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Tests.Configuration;

public sealed class PlateDirectoryTests
{
    [TestCase("BR00116991__2020-11-05T19_51_35-Measurement1", "BR00116991")]
    [TestCase("BR00116991A__x__y", "BR00116991A")]
    [TestCase("BR00116991", "BR00116991")]
    public void The_barcode_is_the_text_before_the_first_double_underscore(string name, string barcode) =>
        Assert.That(new PlateDirectory(name).Barcode, Is.EqualTo(barcode));
}
