using System.Text.Json.Nodes;

namespace Fleet.Deploy.Tests.Support;

/// <summary>One query of a dashboard: a panel target, a template variable or an annotation.</summary>
public sealed record DashboardQuery(string Dashboard, string Location, string? DatasourceUid, string? DatasourceType, string Text)
{
    public override string ToString() => $"{Dashboard}: {Location}";
}

/// <summary>The Grafana dashboards under deploy/grafana/dashboards and the queries in them.</summary>
public static class Dashboards
{
    public static JsonObject Load(string path) =>
        JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidOperationException($"{path} is not a JSON object");

    /// <summary>Every panel, rows' nested panels included, rows themselves excluded.</summary>
    public static IEnumerable<JsonObject> Panels(JsonObject dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        foreach (var panel in (dashboard["panels"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            if ((string?)panel["type"] == "row")
            {
                foreach (var nested in (panel["panels"]?.AsArray() ?? []).OfType<JsonObject>())
                {
                    yield return nested;
                }
            }
            else
            {
                yield return panel;
            }
        }
    }

    public static IEnumerable<DashboardQuery> Queries(string path)
    {
        var name = Path.GetFileName(path);
        var dashboard = Load(path);
        foreach (var panel in Panels(dashboard))
        {
            foreach (var target in (panel["targets"]?.AsArray() ?? []).OfType<JsonObject>())
            {
                var datasource = target["datasource"] as JsonObject ?? panel["datasource"] as JsonObject;
                yield return new DashboardQuery(
                    name,
                    $"panel '{panel["title"]}' target {target["refId"]}",
                    (string?)datasource?["uid"],
                    (string?)datasource?["type"],
                    Text(target));
            }
        }

        foreach (var variable in (dashboard["templating"]?["list"]?.AsArray() ?? []).OfType<JsonObject>().Where(v => (string?)v["type"] == "query"))
        {
            var query = variable["query"];
            var text = query is JsonObject o ? (string?)o["query"] ?? (string?)o["rawSql"] : (string?)query;
            yield return new DashboardQuery(name, $"variable '{variable["name"]}'", (string?)variable["datasource"]?["uid"], (string?)variable["datasource"]?["type"], text ?? string.Empty);
        }

        foreach (var annotation in (dashboard["annotations"]?["list"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            var target = annotation["target"] as JsonObject ?? annotation;
            yield return new DashboardQuery(name, $"annotation '{annotation["name"]}'", (string?)annotation["datasource"]?["uid"], (string?)annotation["datasource"]?["type"], Text(target));
        }
    }

    public static IEnumerable<DashboardQuery> AllQueries() => DeployFiles.DashboardFiles.SelectMany(Queries);

    private static string Text(JsonObject target) =>
        (string?)target["rawSql"] ?? (string?)target["expr"] ?? (string?)target["query"] ?? string.Empty;
}
