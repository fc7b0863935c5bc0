namespace Fleet.Cli.Reports;

/// <summary>
/// Who feeds a box, short enough for a table column: an agent's host name (cut at 24
/// characters), or for an imported file "import" and the first characters of its hash
/// (the silo knows it as import:SHA256:OFFSET).
/// </summary>
internal static class SourceName
{
    private const int Width = 24;

    public static string Short(string? agentHost)
    {
        if (string.IsNullOrEmpty(agentHost))
        {
            return "-";
        }

        const string import = "import:";
        if (agentHost.StartsWith(import, StringComparison.Ordinal))
        {
            var rest = agentHost;
            while (rest.StartsWith(import, StringComparison.Ordinal))
            {
                rest = rest[import.Length..];
            }

            var hash = rest.Split(':')[0];
            return $"import {hash[..Math.Min(8, hash.Length)]}";
        }

        return agentHost.Length <= Width ? agentHost : agentHost[..(Width - 1)] + "…";
    }
}
