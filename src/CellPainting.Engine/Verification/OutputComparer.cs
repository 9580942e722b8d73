namespace CellPainting.Engine.Verification;

/// <summary>
/// Decides whether a rebuilt output that is not byte-identical to the recorded one is still equivalent (values within
/// a tolerance, say). <paramref name="recordedPath"/> holds exactly the bytes the lock records.
/// </summary>
public delegate OutputComparison OutputComparer(string outputName, string recordedPath, string rebuiltPath);
