using System.Text.RegularExpressions;

namespace CellPainting.Stages.Download;

/// <summary>Recognises the CPJUMP1 fluorescence channel TIFFs (ch1–ch5) by file name.</summary>
public static partial class FluorescenceImageFilter
{
    /// <summary>
    /// True when the last segment of <paramref name="relativeKey"/> is a ch1–ch5 Phenix image name.
    /// Channel tokens are not zero-padded on S3 (<c>ch1</c>, not <c>ch01</c>); ch6–ch8 are brightfield planes.
    /// </summary>
    public static bool Includes(string relativeKey)
    {
        ArgumentNullException.ThrowIfNull(relativeKey);
        var fileName = relativeKey[(relativeKey.LastIndexOf('/') + 1)..];
        return FluorescenceName().IsMatch(fileName);
    }

    [GeneratedRegex(@"^r[0-9]{2}c[0-9]{2}f[0-9]{2}p[0-9]{2}-ch[1-5]sk1fk1fl1\.tiff?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FluorescenceName();
}
