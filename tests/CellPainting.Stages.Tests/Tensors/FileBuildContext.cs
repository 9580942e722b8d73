using CellPainting.Engine.Items;

namespace CellPainting.Stages.Tests.Tensors;

/// <summary>An item's build context over plain files, without the engine: inputs read from their paths, outputs written in place.</summary>
internal sealed class FileBuildContext(WorkItem item) : IBuildContext
{
    public T ReadInput<T>(string name, Func<ReadOnlySpan<byte>, T> read) => read(File.ReadAllBytes(PathOf(name)));

    public string SourceOf(string name) => PathOf(name);

    public void WriteOutput(string name, Action<Stream> write)
    {
        using FileStream stream = File.Create(item.Outputs.Single(output => output.Name == name).Path);
        write(stream);
    }

    public T Shared<T>(string key, Func<T> create)
        where T : class => create();

    private string PathOf(string name) => item.Inputs.Single(input => input.Name == name).Path;
}
