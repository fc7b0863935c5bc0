namespace Fleet.Cli.Local;

/// <summary>
/// The silo and agent `fleet up` runs: built from the checkout the `./fleet` launcher runs from
/// (FLEET_REPO), again only when a source is newer than the build.
/// </summary>
internal static class Binaries
{
    public static async Task<(string Silo, string Agent)> EnsureBuiltAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        var repository = Environment.GetEnvironmentVariable("FLEET_REPO");
        if (string.IsNullOrEmpty(repository) || !File.Exists(Path.Combine(repository, "Fleet.sln")))
        {
            throw new CliException("the local stack is built from the Fleet sources: run it as ./fleet from a checkout (FLEET_REPO is not set)");
        }

        var silo = Path.Combine(repository, "src", "Silo", "bin", "Release", "net10.0", "Fleet.Silo.dll");
        var agent = Path.Combine(repository, "src", "AgentHost", "bin", "Release", "net10.0", "Fleet.AgentHost.dll");
        var newestSource = NewestSource(Path.Combine(repository, "src"));
        foreach (var (project, dll) in new[] { ("Silo", silo), ("AgentHost", agent) })
        {
            if (!File.Exists(dll) || File.GetLastWriteTimeUtc(dll) < newestSource)
            {
                await progress.WriteLineAsync($"building {project} (Release)...").ConfigureAwait(false);
                await ProcessRunner.RunAsync("dotnet", ["build", Path.Combine(repository, "src", project, project + ".csproj"), "-c", "Release", "--nologo", "-v", "quiet"], cancellationToken).ConfigureAwait(false);
                File.SetLastWriteTimeUtc(dll, DateTime.UtcNow);
            }
        }

        return (silo, agent);
    }

    private static DateTime NewestSource(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
            .Select(File.GetLastWriteTimeUtc)
            .DefaultIfEmpty(DateTime.MinValue)
            .Max();
}
