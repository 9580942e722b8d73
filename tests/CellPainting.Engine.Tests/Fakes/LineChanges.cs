namespace CellPainting.Engine.Tests.Fakes;

/// <summary>The lines a rewrite changed in place (1-based), for checking that a small change stays a small diff.</summary>
public static class LineChanges
{
    public static string[] Lines(string path) => File.ReadAllText(path).Split('\n');

    public static (int Line, string Before, string After)[] Between(string[] before, string[] after)
    {
        Assert.That(after, Has.Length.EqualTo(before.Length), "a changed line, not added or removed ones");
        return before.Zip(after).Select((pair, index) => (index + 1, pair.First, pair.Second))
            .Where(change => change.First != change.Second)
            .ToArray();
    }
}
