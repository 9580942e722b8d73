using System.Text;

namespace CellPainting.Engine.Tests.Fakes;

/// <summary>
/// A build log file's lines without what differs between two builds of the same items in other places: the stamps
/// digest of each record (inodes and mtimes) and the line checksum that covers it.
/// </summary>
public static class LogText
{
    public static string[] WithoutStamps(byte[] content) =>
        Encoding.UTF8.GetString(content).Split('\n')
            .Select(line => line.Split('\t'))
            .Select(fields => fields[0] is "D" or "d" && fields.Length == 10 ? string.Join('\t', fields[..5].Concat(fields[6..9])) : string.Join('\t', fields))
            .ToArray();
}
