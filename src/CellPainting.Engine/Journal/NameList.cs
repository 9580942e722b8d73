namespace CellPainting.Engine.Journal;

/// <summary>The input and output names of a build log's records, declared once in a file and referred to by number.</summary>
internal sealed record NameList(string[] Inputs, string[] Outputs)
{
    /// <summary>The names as a declaration spells them: inputs and outputs comma-separated, a tab between.</summary>
    public string Key { get; } = string.Join(',', Inputs) + "\t" + string.Join(',', Outputs);
}
