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
        IReadOnlyList<HashedName> ordered = IsInNameOrder(inputs) ? inputs : inputs.OrderBy(input => input.Name, StringComparer.Ordinal).ToArray();
        for (int index = 0; index < ordered.Count; index++)
        {
            text.Append("input ").Append(ordered[index].Name).Append(' ').Append(ordered[index].Hash).Append('\n');
        }

        return ContentHash.OfText(text.ToString());
    }

    /// <summary>Inputs usually come in name order already (ch1..ch5): a no-op run checks thousands, sorting none.</summary>
    private static bool IsInNameOrder(IReadOnlyList<HashedName> inputs)
    {
        for (int index = 1; index < inputs.Count; index++)
        {
            if (string.CompareOrdinal(inputs[index - 1].Name, inputs[index].Name) > 0)
            {
                return false;
            }
        }

        return true;
    }
}
