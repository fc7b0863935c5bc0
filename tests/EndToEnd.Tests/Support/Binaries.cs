namespace Fleet.EndToEnd.Tests.Support;

/// <summary>Where the checkout is, and the built silo, agent and CLI in it: beside this test project, in their own bin folders.</summary>
internal static class Binaries
{
    public static string Silo => Find("Silo", "Fleet.Silo.dll");

    public static string Agent => Find("AgentHost", "Fleet.AgentHost.dll");

    public static string Cli => Find("Cli", "Fleet.Cli.dll");

    /// <summary>The checkout: tests/EndToEnd.Tests/bin/&lt;Configuration&gt;/net10.0 is four levels below it.</summary>
    public static string Repository => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Parent!.Parent!.Parent!.FullName;

    private static string Find(string project, string dll)
    {
        // tests/EndToEnd.Tests/bin/<Configuration>/net10.0 → src/<project>/bin/<Configuration>/net10.0
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(Repository, "src", project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{dll} not built at {path}");
    }
}
