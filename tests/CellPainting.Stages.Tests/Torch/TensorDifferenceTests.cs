using CellPainting.TestSupport;
using CellPainting.Stages.Torch;

namespace CellPainting.Stages.Tests.Torch;

public sealed class TensorDifferenceTests
{
    private TempDirectory scratch = null!;

    [SetUp]
    public void CreateScratch() => scratch = new TempDirectory();

    [TearDown]
    public void DeleteScratch() => scratch.Dispose();

    private string Write(string name, int[] shape, float[] values)
    {
        string path = scratch.PathOf(name + ".pt");
        using FileStream stream = File.Create(path);
        TorchFile.WriteFloat32(stream, name, shape, values);
        return path;
    }

    [Test]
    public void The_largest_absolute_difference_of_two_tensors_is_found()
    {
        string a = Write("a", [2, 2], [1f, -2f, 3f, 4f]);
        string b = Write("b", [2, 2], [1f, -2.5f, 3.25f, 4f]);

        Assert.That(TensorDifference.MaxAbsolute(a, b), Is.EqualTo(0.5));
    }

    [Test]
    public void Identical_values_differ_by_zero_even_where_both_are_NaN()
    {
        string a = Write("a", [3], [float.NaN, 0f, 7f]);
        string b = Write("b", [3], [float.NaN, 0f, 7f]);

        Assert.That(TensorDifference.MaxAbsolute(a, b), Is.Zero);
    }

    [Test]
    public void A_NaN_facing_a_number_is_an_infinite_difference()
    {
        string a = Write("a", [2], [float.NaN, 1f]);
        string b = Write("b", [2], [0f, 1f]);

        Assert.That(TensorDifference.MaxAbsolute(a, b), Is.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void Different_shapes_are_an_error_naming_both_files()
    {
        string a = Write("a", [2, 2], [1f, 2f, 3f, 4f]);
        string b = Write("b", [4], [1f, 2f, 3f, 4f]);

        var error = Assert.Throws<InvalidDataException>(() => TensorDifference.MaxAbsolute(a, b));

        Assert.That(error!.Message, Is.EqualTo($"{a} has shape (2, 2) but {b} has (4)."));
    }

    [Test]
    public void A_file_that_is_not_a_tensor_is_an_error_naming_it()
    {
        string a = Write("a", [1], [1f]);
        string b = scratch.PathOf("b.pt");
        File.WriteAllText(b, "not a zip");

        var error = Assert.Throws<InvalidDataException>(() => TensorDifference.MaxAbsolute(a, b));

        Assert.That(error!.Message, Does.StartWith($"{b}: "));
    }
}
