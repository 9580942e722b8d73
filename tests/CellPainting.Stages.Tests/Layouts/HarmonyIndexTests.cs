using System.Text;
using CellPainting.Stages.Layouts;

namespace CellPainting.Stages.Tests.Layouts;

public sealed class HarmonyIndexTests
{
    private static (double, int) Read(string xml) => HarmonyIndex.ReadResolution(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "Index.idx.xml");

    [Test]
    public void The_first_images_resolution_in_metres_and_width_in_pixels_are_read()
    {
        (double microns, int width) = Read("""
            <?xml version="1.0" encoding="utf-8"?>
            <EvaluationInputData xmlns="http://www.perkinelmer.com/PEHH/HarmonyV5">
              <Images>
                <Image Version="1"><ImageResolutionX Unit="m">5.9803843194563E-07</ImageResolutionX><ImageSizeX>1080</ImageSizeX></Image>
                <Image Version="1"><ImageResolutionX Unit="m">1E-06</ImageResolutionX><ImageSizeX>2160</ImageSizeX></Image>
              </Images>
            </EvaluationInputData>
            """);

        Assert.That(microns, Is.EqualTo(0.59803843194563).Within(1e-12));
        Assert.That(width, Is.EqualTo(1080));
    }

    [Test]
    public void A_missing_width_or_a_bad_number_names_the_file_and_line()
    {
        var missing = Assert.Throws<InvalidDataException>(() => Read("<Images><Image><ImageResolutionX Unit=\"m\">6E-07</ImageResolutionX></Image></Images>"));
        var bad = Assert.Throws<InvalidDataException>(() => Read("<Images>\n<Image><ImageResolutionX Unit=\"m\">six</ImageResolutionX></Image></Images>"));
        var unit = Assert.Throws<InvalidDataException>(() => Read("<Images><ImageResolutionX Unit=\"in\">1</ImageResolutionX></Images>"));

        Assert.That(missing!.Message, Does.StartWith("Index.idx.xml: no positive ImageSizeX"));
        Assert.That(bad!.Message, Does.StartWith("Index.idx.xml:2: ImageResolutionX 'six' is not a number"));
        Assert.That(unit!.Message, Does.Contain("unit 'in'"));
    }
}
