using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CellPainting.Engine.LockFiles;

/// <summary>The git command line, run in one folder: plumbing queries and a batch read of blobs at a commit.</summary>
internal sealed class Git
{
    private readonly string workingDirectory;

    public Git(string workingDirectory) => this.workingDirectory = workingDirectory;

    /// <summary>Runs a git command; its standard output, or null when git exits non-zero (its error goes to <paramref name="error"/>).</summary>
    public string? Run(out string error, params string[] arguments)
    {
        using Process process = Start(arguments);
        process.StandardInput.Close();
        Task<string> errorText = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        error = errorText.GetAwaiter().GetResult().Trim();
        return process.ExitCode == 0 ? output : null;
    }

    /// <summary>
    /// The contents of <c>commit:path</c> for each path, in order, through one <c>git cat-file --batch</c>;
    /// null for a path the commit does not have.
    /// </summary>
    public IReadOnlyList<byte[]?> ReadBlobs(string commit, IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            return [];
        }

        using Process process = Start("cat-file", "--batch");
        Task<string> errorText = process.StandardError.ReadToEndAsync();
        // Requests are written while answers are read, so neither pipe can fill up and stall the other side.
        Task requests = Task.Run(() =>
        {
            using StreamWriter input = process.StandardInput;
            foreach (string path in paths)
            {
                input.Write($"{commit}:{path}\n");
            }
        });

        var blobs = new byte[]?[paths.Count];
        using (var output = new BufferedStream(process.StandardOutput.BaseStream, 1 << 16))
        {
            for (int index = 0; index < paths.Count; index++)
            {
                blobs[index] = ReadAnswer(output, paths[index]);
            }
        }

        requests.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new LockFileException($"git cat-file failed in {workingDirectory}: {errorText.GetAwaiter().GetResult().Trim()}");
        }

        return blobs;
    }

    private byte[]? ReadAnswer(Stream output, string path)
    {
        string header = ReadLine(output) ?? throw new LockFileException($"git cat-file stopped before answering for {path}.");
        if (header.EndsWith(" missing", StringComparison.Ordinal))
        {
            return null;
        }

        string[] fields = header.Split(' ');
        if (fields.Length != 3 || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int size))
        {
            throw new LockFileException($"git cat-file answered '{header}' for {path}.");
        }

        byte[] content = new byte[size];
        output.ReadExactly(content);
        output.ReadExactly(new byte[1]); // the newline after each object
        return fields[1] == "blob" ? content : throw new LockFileException($"{path}: is a git {fields[1]}, not a file.");
    }

    private static string? ReadLine(Stream stream)
    {
        var line = new List<byte>(96);
        for (int next = stream.ReadByte(); next >= 0; next = stream.ReadByte())
        {
            if (next == '\n')
            {
                return Encoding.UTF8.GetString(line.ToArray());
            }

            line.Add((byte)next);
        }

        return null;
    }

    private Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(start) ?? throw new LockFileException("git could not be started.");
        }
        catch (Win32Exception exception)
        {
            throw new LockFileException($"git is needed to read a lock at a revision, and it could not be run: {exception.Message}", exception);
        }
    }
}
