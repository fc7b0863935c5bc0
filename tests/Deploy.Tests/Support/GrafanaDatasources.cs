namespace Fleet.Deploy.Tests.Support;

/// <summary>A datasource the Grafana provisioning defines.</summary>
public sealed record ProvisionedDatasource(string Name, string Uid, string Type, string Text);

public static class GrafanaDatasources
{
    public static IReadOnlyList<ProvisionedDatasource> Provisioned()
    {
        var yaml = File.ReadAllText(DeployFiles.GrafanaDatasources);
        return
        [
            .. YamlText.ListItems(yaml, "datasources").Select(item => new ProvisionedDatasource(
                First(YamlText.Values(item, "name")),
                First(YamlText.Values(item, "uid")),
                First(YamlText.Values(item, "type")),
                item)),
        ];
    }

    private static string First(IReadOnlyList<string> values) => values.Count > 0 ? values[0] : string.Empty;
}
