using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace CellPainting.Stages.Configuration;

/// <summary>
/// Typed, strict access to one YAML mapping: each read names the key's full path and line when the value has the
/// wrong type, and <see cref="RejectUnknownKeys"/> turns any key nobody asked for into an error (like pydantic's extra="forbid").
/// </summary>
internal sealed class YamlSection
{
    private readonly YamlMappingNode node;
    private readonly string file;
    private readonly string path;
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    public YamlSection(YamlMappingNode node, string file, string path)
    {
        this.node = node;
        this.file = file;
        this.path = path;
    }

    public string String(string key, string fallback) => Scalar(key)?.Value ?? fallback;

    public string RequiredString(string key)
    {
        YamlScalarNode? scalar = Scalar(key);
        if (scalar is null || string.IsNullOrEmpty(scalar.Value))
        {
            throw Error(node, $"{Qualified(key)} is required");
        }

        return scalar.Value;
    }

    public string? OptionalString(string key) => Scalar(key)?.Value;

    public int Int(string key, int fallback, int minimum)
    {
        YamlScalarNode? scalar = Scalar(key);
        if (scalar is null)
        {
            return fallback;
        }

        if (!int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            throw Error(scalar, $"{Qualified(key)}: expected an integer, found '{scalar.Value}'");
        }

        if (value < minimum)
        {
            throw Error(scalar, $"{Qualified(key)}: must be at least {minimum}, found {value}");
        }

        return value;
    }

    public double Double(string key, double fallback)
    {
        YamlScalarNode? scalar = Scalar(key);
        if (scalar is null)
        {
            return fallback;
        }

        return double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw Error(scalar, $"{Qualified(key)}: expected a number, found '{scalar.Value}'");
    }

    /// <summary>A number within [<paramref name="minimum"/>, <paramref name="maximum"/>], or null when the key is absent.</summary>
    public double? OptionalDouble(string key, double minimum, double maximum)
    {
        YamlScalarNode? scalar = Scalar(key);
        if (scalar is null)
        {
            return null;
        }

        double value = Double(key, 0);
        return value >= minimum && value <= maximum
            ? value
            : throw Error(scalar, $"{Qualified(key)}: must be between {minimum.ToString(CultureInfo.InvariantCulture)} and {maximum.ToString(CultureInfo.InvariantCulture)}, found {scalar.Value}");
    }

    /// <summary>A list of integers, each at least <paramref name="minimum"/>.</summary>
    public IReadOnlyList<int> IntList(string key, IReadOnlyList<int> fallback, int minimum)
    {
        YamlNode? value = Value(key);
        if (value is null)
        {
            return fallback;
        }

        IReadOnlyList<string> entries = StringList(key, []);
        return entries.Select(entry => int.TryParse(entry, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) && number >= minimum
                ? number
                : throw Error(value, $"{Qualified(key)}: every entry must be an integer of at least {minimum}, found '{entry}'"))
            .ToArray();
    }

    /// <summary>A list of strings each of which <paramref name="problem"/> accepts (returns null for); its message otherwise.</summary>
    public IReadOnlyList<string> CheckedList(string key, IReadOnlyList<string> fallback, Func<string, string?> problem)
    {
        IReadOnlyList<string> values = StringList(key, fallback);
        foreach (string entry in values)
        {
            if (problem(entry) is string message)
            {
                throw Error(Value(key)!, $"{Qualified(key)}: '{entry}': {message}");
            }
        }

        return values;
    }

    public bool Bool(string key, bool fallback)
    {
        YamlScalarNode? scalar = Scalar(key);
        return scalar?.Value switch
        {
            null => fallback,
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            _ => throw Error(scalar, $"{Qualified(key)}: expected true or false, found '{scalar.Value}'"),
        };
    }

    public string Choice(string key, string fallback, params string[] allowed)
    {
        YamlScalarNode? scalar = Scalar(key);
        if (scalar is null)
        {
            return fallback;
        }

        return allowed.Contains(scalar.Value, StringComparer.Ordinal)
            ? scalar.Value!
            : throw Error(scalar, $"{Qualified(key)}: expected one of {string.Join(", ", allowed)}, found '{scalar.Value}'");
    }

    public IReadOnlyList<string> StringList(string key, IReadOnlyList<string> fallback)
    {
        YamlNode? value = Value(key);
        if (value is null)
        {
            return fallback;
        }

        if (value is not YamlSequenceNode sequence)
        {
            throw Error(value, $"{Qualified(key)}: expected a list");
        }

        return sequence.Children.Select(child => child is YamlScalarNode { Value: not null } item
                ? item.Value
                : throw Error(child, $"{Qualified(key)}: every entry must be a string"))
            .ToArray();
    }

    /// <summary>A list whose every entry must be one of <paramref name="allowed"/>.</summary>
    public IReadOnlyList<string> ChoiceList(string key, IReadOnlyList<string> allowed)
    {
        IReadOnlyList<string> values = StringList(key, allowed);
        string? unknown = values.FirstOrDefault(value => !allowed.Contains(value, StringComparer.Ordinal));
        return unknown is null
            ? values
            : throw Error(Value(key)!, $"{Qualified(key)}: unknown entry '{unknown}' (known: {string.Join(", ", allowed)})");
    }

    public YamlSection? Section(string key)
    {
        YamlNode? value = Value(key);
        return value switch
        {
            null => null,
            YamlMappingNode mapping => new YamlSection(mapping, file, Qualified(key)),
            _ => throw Error(value, $"{Qualified(key)}: expected a mapping"),
        };
    }

    public void RejectUnknownKeys()
    {
        foreach (YamlNode key in node.Children.Keys)
        {
            string name = key is YamlScalarNode scalar ? scalar.Value ?? string.Empty : key.ToString();
            if (!read.Contains(name))
            {
                throw Error(key, $"unknown key {Qualified(name)}");
            }
        }
    }

    public ConfigException Error(YamlNode at, string message) =>
        new($"{file}:{at.Start.Line}: {message}");

    /// <summary>An error at the line of <paramref name="key"/>'s value, or of this mapping when the key is absent.</summary>
    public ConfigException ErrorAt(string key, string message) =>
        Error(node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value : node, message);

    public string Qualified(string key) => path.Length == 0 ? key : $"{path}.{key}";

    private YamlNode? Value(string key)
    {
        read.Add(key);
        if (!node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value))
        {
            return null;
        }

        return value is YamlScalarNode { Value: null or "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain } ? null : value;
    }

    private YamlScalarNode? Scalar(string key)
    {
        YamlNode? value = Value(key);
        return value switch
        {
            null => null,
            YamlScalarNode scalar => scalar,
            _ => throw Error(value, $"{Qualified(key)}: expected a single value, found a {(value is YamlSequenceNode ? "list" : "mapping")}"),
        };
    }
}
