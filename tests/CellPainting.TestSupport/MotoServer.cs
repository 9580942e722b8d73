using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;

namespace CellPainting.TestSupport;

/// <summary>A moto_server process on a free loopback port, owned (and killed) by the test fixture that started it.</summary>
public sealed class MotoServer : IDisposable
{
    // Lets the fixture upload multipart objects with small parts instead of S3's 5 MiB minimum.
    public const int MinimumPartSize = 1024;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private MotoServer(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>Starts moto_server, or marks the test ignored when it is not installed.</summary>
    public static async Task<MotoServer> StartOrIgnoreAsync()
    {
        var executable = FindExecutable();
        if (executable is null)
        {
            Assert.Ignore("moto_server was not found on PATH (pip install 'moto[server]'); the S3 sync tests need a loopback S3.");
        }

        var port = LoopbackPort.Free();
        var startInfo = new ProcessStartInfo(executable!, ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment["S3_UPLOAD_PART_MIN_SIZE"] = MinimumPartSize.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var server = new MotoServer(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>A signed client straight to moto (not through any proxy) for seeding; moto accepts any credentials.</summary>
    public AmazonS3Client CreateAdminClient() =>
        new(new BasicAWSCredentials("fixture-access-key", "fixture-secret-key"), new AmazonS3Config
        {
            ServiceURL = Endpoint.AbsoluteUri,
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static string? FindExecutable()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories.Select(directory => Path.Combine(directory, "moto_server")).FirstOrDefault(File.Exists);
    }


    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 50 && _output.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "moto-api/"));
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
            catch (TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }

        Dispose();
        throw new TimeoutException($"moto_server did not answer on {Endpoint} within 60 s:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}");
    }
}
