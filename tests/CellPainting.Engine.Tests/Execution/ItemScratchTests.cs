using CellPainting.Engine.Execution;

namespace CellPainting.Engine.Tests.Execution;

public sealed class ItemScratchTests
{
    [Test]
    public void A_value_is_created_once_per_key_and_closing_disposes_it_and_keeps_nothing_after()
    {
        var scratch = new ItemScratch();
        int created = 0;
        var held = new MemoryStream();

        MemoryStream firstAsk = scratch.Get("planes", () => { created++; return held; });
        MemoryStream secondAsk = scratch.Get("planes", () => { created++; return new MemoryStream(); });
        scratch.Close();
        scratch.Get("planes", () => { created++; return new MemoryStream(); });
        scratch.Get("planes", () => { created++; return new MemoryStream(); });

        Assert.That(secondAsk, Is.SameAs(firstAsk));
        Assert.That(created, Is.EqualTo(3));
        Assert.That(held.CanRead, Is.False, "closing disposed the value");
    }

    [Test]
    public void Asking_for_a_key_as_another_type_is_an_error_naming_the_key()
    {
        var scratch = new ItemScratch();
        scratch.Get("planes", () => "text");

        Assert.That(() => scratch.Get("planes", () => new MemoryStream()), Throws.InvalidOperationException.With.Message.Contains("'planes'"));
    }
}
