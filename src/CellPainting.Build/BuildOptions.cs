namespace CellPainting.Build;

/// <summary>What the command line says: the repository root, the config, and how to run.</summary>
public sealed record BuildOptions(string Root, string ConfigPath, bool Explain, TimeSpan WaitForLock)
{
    public const string DefaultConfig = "configs/sample.yml";
}
