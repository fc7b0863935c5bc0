using System.Globalization;
using System.Text;

namespace Fleet.AgentHost.Tests.Components;

/// <summary>
/// An executable nvidia-smi shell script in its own temporary directory: once without -lms,
/// every period with it, the same lines each time, optionally dying after some rounds. Given to
/// the meter through its search path, never through this process's environment.
/// </summary>
internal sealed class FakeNvidiaSmi : IDisposable
{
    public FakeNvidiaSmi(
        IReadOnlyList<string> instantValues,
        IReadOnlyList<string>? averageValues = null,
        double periodSeconds = 0.05,
        int? rounds = null,
        string? dyingWords = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("fleet-nvidia-smi-").FullName;
        var script = new StringBuilder();
        script.Append("#!/bin/sh\n# A fake nvidia-smi for Fleet's tests.\n");
        script.Append("case \"$*\" in\n");
        script.Append(CultureInfo.InvariantCulture, $"  *power.draw.instant*) values='{Lines(instantValues)}' ;;\n");
        script.Append(CultureInfo.InvariantCulture, $"  *) values='{Lines(averageValues ?? instantValues)}' ;;\n");
        script.Append("esac\n");
        script.Append("case \" $* \" in *\" -lms \"*) ;; *) printf '%s\\n' \"$values\"; exit 0 ;; esac\n");
        script.Append(CultureInfo.InvariantCulture, $"n=0\nwhile [ $n -lt {rounds ?? int.MaxValue} ]; do printf '%s\\n' \"$values\"; n=$((n + 1)); sleep {periodSeconds.ToString(CultureInfo.InvariantCulture)}; done\n");
        script.Append(CultureInfo.InvariantCulture, $"echo '{dyingWords ?? "done"}' >&2\nexit 3\n");
        var path = Path.Combine(Directory, "nvidia-smi");
        File.WriteAllText(path, script.ToString());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Directory { get; }

    /// <summary>The script's directory first, then the system's (the script needs sleep).</summary>
    public string SearchPath => $"{Directory}:/usr/bin:/bin";

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static string Lines(IReadOnlyList<string> values) =>
        string.Join("\n", values.Select((value, gpu) => $"{gpu}, {value}"));
}
