using System.Text;
using CellPainting.Engine.Items;
using CellPainting.Engine.Journal;
using CellPainting.Engine.State;

namespace CellPainting.Engine.Planning;

/// <summary>An item's identity for rebuild purposes: stage, recipe, parameters and the content of every input.</summary>
public static class Fingerprint
{
    public static string Of(IStage stage, IReadOnlyList<HashedName> inputs)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(inputs);
        // Room for the three header lines and a line per input (a name and 64 hex digits): the text never regrows.
        var text = new StringBuilder(256 + (inputs.Count * 128));
        text.Append("stage ").Append(stage.Name).Append('\n');
        text.Append("recipe ").Append(stage.RecipeVersion).Append('\n');
        text.Append("params ").Append(stage.Parameters.Digest).Append('\n');
        foreach (HashedName input in inputs.OrderBy(input => input.Name, StringComparer.Ordinal))
        {
            text.Append("input ").Append(input.Name).Append(' ').Append(input.Hash).Append('\n');
        }

        return ContentHash.OfText(text.ToString());
    }
}
