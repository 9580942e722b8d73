namespace CellPainting.Stages.Download;

/// <summary>A fault that was retried (whether or not a later attempt succeeded).</summary>
/// <param name="Key">Full S3 key, or the prefix for a listing request.</param>
/// <param name="Attempt">The 1-based attempt that failed.</param>
/// <param name="Reason">What went wrong.</param>
public sealed record TransientFault(string Key, int Attempt, string Reason);
