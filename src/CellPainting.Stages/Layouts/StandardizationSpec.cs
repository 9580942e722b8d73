using System.Globalization;

namespace CellPainting.Stages.Layouts;

/// <summary>
/// One standardisation spec as spora_io names it: <c>identity</c>, or <c>&lt;method&gt;/uq_&lt;q&gt;_&lt;level&gt;</c> with
/// method <c>quantile_clipping</c> or <c>quantile_clipping_log1p</c>, q the upper quantile in (0, 1] and level
/// <c>image</c> (one quantile per site and channel) or <c>global</c> (one per channel over the plate). The name is
/// the folder under <c>standardization/</c>.
/// </summary>
public sealed record StandardizationSpec(string Name, StandardizationMethod Method, double UpperQuantile, bool PerImage)
{
    public const string IdentityName = "identity";

    /// <summary>Whether the statistics are per site (so one item per site) rather than per plate.</summary>
    public bool IsImageLevel => Method != StandardizationMethod.Identity && PerImage;

    public static StandardizationSpec Parse(string name) =>
        TryParse(name, out StandardizationSpec? spec, out string? problem) ? spec : throw new FormatException($"'{name}': {problem}");

    /// <summary>Why <paramref name="name"/> is not a spec, or null when it is one.</summary>
    public static string? Problem(string name) => TryParse(name, out _, out string? problem) ? null : problem;

    private static bool TryParse(string name, out StandardizationSpec spec, out string? problem)
    {
        spec = null!;
        problem = null;
        if (name == IdentityName)
        {
            spec = new StandardizationSpec(name, StandardizationMethod.Identity, 1, false);
            return true;
        }

        string[] parts = name.Split('/');
        StandardizationMethod? method = parts[0] switch
        {
            "quantile_clipping" => StandardizationMethod.QuantileClipping,
            "quantile_clipping_log1p" => StandardizationMethod.QuantileClippingLog1p,
            _ => null,
        };
        string[] quantile = parts.Length == 2 ? parts[1].Split('_') : [];
        if (method is null || quantile.Length != 3 || quantile[0] != "uq")
        {
            problem = "expected identity, quantile_clipping/uq_<q>_<image|global> or quantile_clipping_log1p/uq_<q>_<image|global>";
            return false;
        }

        if (!double.TryParse(quantile[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double q) || q <= 0 || q > 1)
        {
            problem = $"the upper quantile '{quantile[1]}' is not a number in (0, 1]";
            return false;
        }

        if (quantile[2] is not ("image" or "global"))
        {
            problem = $"the quantile level '{quantile[2]}' is neither image nor global";
            return false;
        }

        spec = new StandardizationSpec(name, method.Value, q, quantile[2] == "image");
        return true;
    }
}
