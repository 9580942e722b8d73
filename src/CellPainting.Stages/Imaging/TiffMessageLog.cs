using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CellPainting.Stages.Imaging;

/// <summary>
/// Collects the errors and warnings libtiff reports for one TIFF handle, through the per-handle (re-entrant)
/// handlers of libtiff 4.5+, so concurrent decodes never see each other's messages and nothing reaches stderr.
/// </summary>
internal sealed unsafe class TiffMessageLog : IDisposable
{
    private readonly List<string> messages = [];
    private GCHandle self;
    private int unrecordedMessages;

    public TiffMessageLog() => self = GCHandle.Alloc(this);

    /// <summary>Whether libtiff reported an error (not just a warning) for this handle.</summary>
    public bool HasErrors { get; private set; }

    /// <summary>The pointer libtiff passes back to the handlers.</summary>
    public nint UserData => GCHandle.ToIntPtr(self);

    /// <summary>Everything libtiff said, errors and warnings in order, for an exception message.</summary>
    public string Describe()
    {
        List<string> parts = [.. messages];
        if (unrecordedMessages > 0)
        {
            parts.Add($"{unrecordedMessages} more libtiff message(s) could not be recorded");
        }

        return parts.Count == 0 ? "libtiff gave no details" : string.Join("; ", parts);
    }

    public void Dispose() => self.Free();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int OnError(nint tiff, nint userData, byte* module, byte* format, nint arguments)
        => Record(userData, isError: true, module, format, arguments);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static int OnWarning(nint tiff, nint userData, byte* module, byte* format, nint arguments)
        => Record(userData, isError: false, module, format, arguments);

    private static int Record(nint userData, bool isError, byte* module, byte* format, nint arguments)
    {
        var log = (TiffMessageLog)GCHandle.FromIntPtr(userData).Target!;
        log.HasErrors |= isError;
        try
        {
            string prefix = isError ? string.Empty : "warning: ";
            string? moduleName = Marshal.PtrToStringUTF8((nint)module);
            string text = CRuntime.FormatVarArgs(format, arguments);
            log.messages.Add(moduleName is null ? prefix + text : $"{prefix}{moduleName}: {text}");
        }
        catch (Exception)
        {
            // An exception must not unwind into libtiff's C frames; the count keeps the failure visible.
            log.unrecordedMessages++;
        }

        // Non-zero tells libtiff the message was handled, so its global (stderr) handlers are skipped.
        return 1;
    }
}
