namespace Fleet.Cli.Local;

/// <summary>
/// The silo and agent `fleet up` runs: built from the checkout the `./fleet` launcher runs from
/// (FLEET_REPO), again only when scripts/stale-build.sh (the launcher's own rule) says a build
/// input is newer than the build.
/// </summary>
internal static class Binaries
{
    public static async Task<(string Silo, string Agent)> EnsureBuiltAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        var repository = Checkout.Root;
        var silo = Path.Combine(repository, "src", "Silo", "bin", "Release", "net10.0", "Fleet.Silo.dll");
        var agent = Path.Combine(repository, "src", "AgentHost", "bin", "Release", "net10.0", "Fleet.AgentHost.dll");
        foreach (var (project, dll) in new[] { ("Silo", silo), ("AgentHost", agent) })
        {
            var stale = await ProcessRunner.RunAsync(Checkout.Script("stale-build.sh"), [dll], cancellationToken).ConfigureAwait(false);
            if (stale.Trim().Length > 0)
            {
                await progress.WriteLineAsync($"building {project} (Release)...").ConfigureAwait(false);
                await ProcessRunner.RunAsync("dotnet", ["build", Path.Combine(repository, "src", project, project + ".csproj"), "-c", "Release", "--nologo", "-v", "quiet"], cancellationToken).ConfigureAwait(false);
                File.SetLastWriteTimeUtc(dll, DateTime.UtcNow);
            }
        }

        return (silo, agent);
    }
}
