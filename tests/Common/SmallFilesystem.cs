using System.Diagnostics;
using System.Globalization;

namespace Fleet.Tests.Common;

/// <summary>
/// A real, small filesystem (a tmpfs of a few hundred KiB) mounted on a temporary directory, so
/// a test can fill a disk for real: writes fail with "No space left on device" as they would on
/// a full partition. Mounting needs root, as CI and <c>./test</c> run.
/// </summary>
public sealed class SmallFilesystem : IDisposable
{
    /// <param name="kibibytes">Size of the filesystem.</param>
    /// <param name="inodes">With a value, how many files and directories it can hold (the root counts as one).</param>
    public SmallFilesystem(int kibibytes, int? inodes = null)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                "This test mounts a small tmpfs to fill a disk for real and needs root (CI and ./test run as root); run it as root.");
        }

        Path = Directory.CreateTempSubdirectory("fleet-small-fs-").FullName;
        try
        {
            var options = string.Create(CultureInfo.InvariantCulture, $"size={kibibytes}k,mode=0755{(inodes is { } n ? $",nr_inodes={n}" : "")}");
            Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", Path);
        }
        catch
        {
            Directory.Delete(Path);
            throw;
        }
    }

    /// <summary>Where the filesystem is mounted.</summary>
    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Run("umount", Path);
        }
        catch (InvalidOperationException)
        {
            // Still busy (a process of the test not quite gone): detach it now, it goes when released.
            Run("umount", "-l", Path);
        }

        Directory.Delete(Path, recursive: true);
    }

    private static void Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors}{output.Result}");
        }
    }
}
