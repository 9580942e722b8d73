namespace CellPainting.Stages.Features;

/// <summary>Maps the config strings <c>auto</c>, <c>cpu</c> and <c>cuda</c> to <see cref="ExecutionProvider"/> and back.</summary>
public static class ExecutionProviderParser
{
    /// <summary>Parses a config value, ignoring case and surrounding blanks.</summary>
    /// <exception cref="ArgumentException">The value is none of auto, cpu, cuda.</exception>
    public static ExecutionProvider Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Trim().ToLowerInvariant() switch
        {
            "auto" => ExecutionProvider.Auto,
            "cpu" => ExecutionProvider.Cpu,
            "cuda" => ExecutionProvider.Cuda,
            _ => throw new ArgumentException($"Unknown execution provider '{value}': expected auto, cpu or cuda.", nameof(value)),
        };
    }

    /// <summary>The config spelling of a provider, for messages and fingerprints.</summary>
    public static string ToConfigValue(ExecutionProvider provider) => provider switch
    {
        ExecutionProvider.Auto => "auto",
        ExecutionProvider.Cpu => "cpu",
        ExecutionProvider.Cuda => "cuda",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown execution provider."),
    };
}
