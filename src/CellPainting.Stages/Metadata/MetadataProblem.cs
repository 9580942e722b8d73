using CellPainting.Engine.Planning;

namespace CellPainting.Stages.Metadata;

/// <summary>
/// One thing wrong with the metadata or split inputs. The caller prints every problem and fails the
/// target when any is an error; <see cref="File"/> and <see cref="Line"/> point the user at the cause.
/// </summary>
/// <param name="Severity">Error (the target fails) or warning (the output is still produced).</param>
/// <param name="File">The input file at fault; null when the problem is not tied to one file.</param>
/// <param name="Line">The 1-based line in <paramref name="File"/>; null when no single line is at fault.</param>
/// <param name="Message">What is wrong, naming the values involved.</param>
public sealed record MetadataProblem(MetadataProblemSeverity Severity, string? File, int? Line, string Message)
{
    public bool IsError => Severity == MetadataProblemSeverity.Error;

    public static MetadataProblem Error(string? file, int? line, string message) =>
        new(MetadataProblemSeverity.Error, file, line, message);

    public static MetadataProblem Warning(string? file, int? line, string message) =>
        new(MetadataProblemSeverity.Warning, file, line, message);

    /// <summary>Fails the item with every error, one per line, when there is any; warnings are the caller's to report.</summary>
    /// <exception cref="ItemFailedException">At least one problem is an error.</exception>
    public static void ThrowIfAnyError(IEnumerable<MetadataProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        MetadataProblem[] errors = problems.Where(problem => problem.IsError).ToArray();
        if (errors.Length > 0)
        {
            throw new ItemFailedException(string.Join(Environment.NewLine + "    ", errors.Select(problem => problem.ToString())));
        }
    }

    /// <summary>Compiler-style text, e.g. <c>platemap.txt:12: error: duplicate well A01 (first at line 3)</c>.</summary>
    public override string ToString()
    {
        var kind = IsError ? "error" : "warning";
        var location = (File, Line) switch
        {
            (null, _) => "",
            (_, null) => $"{File}: ",
            _ => $"{File}:{Line}: ",
        };
        return $"{location}{kind}: {Message}";
    }
}
