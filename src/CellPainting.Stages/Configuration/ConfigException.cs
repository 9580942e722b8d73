namespace CellPainting.Stages.Configuration;

/// <summary>The config cannot be used; the message names the file, the line and the key.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
