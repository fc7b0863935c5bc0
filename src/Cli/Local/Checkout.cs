namespace Fleet.Cli.Local;

/// <summary>
/// The Fleet checkout the `./fleet` launcher runs from (FLEET_REPO): the local stack builds its
/// silo and agent there and runs its scripts (a private PostgreSQL, the stale-build rule).
/// </summary>
internal static class Checkout
{
    public static string Root
    {
        get
        {
            var repository = Environment.GetEnvironmentVariable("FLEET_REPO");
            return string.IsNullOrEmpty(repository) || !File.Exists(Path.Combine(repository, "Fleet.sln"))
                ? throw new CliException("the local stack is built from the Fleet sources: run it as ./fleet from a checkout (FLEET_REPO is not set)")
                : repository;
        }
    }

    public static string Script(string name) => Path.Combine(Root, "scripts", name);
}
