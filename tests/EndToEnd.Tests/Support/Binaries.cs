namespace Fleet.EndToEnd.Tests.Support;

/// <summary>Where the built silo and agent are: beside this test project, in their own bin folders.</summary>
internal static class Binaries
{
    public static string Silo => Find("Silo", "Fleet.Silo.dll");

    public static string Agent => Find("AgentHost", "Fleet.AgentHost.dll");

    public static string Cli => Find("Cli", "Fleet.Cli.dll");

    private static string Find(string project, string dll)
    {
        // tests/EndToEnd.Tests/bin/<Configuration>/net10.0 → src/<project>/bin/<Configuration>/net10.0
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = output.Parent!.Name;
        var repository = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(repository, "src", project, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{dll} not built at {path}");
    }
}
