using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Fleet.Silo.Security;

/// <summary>
/// The HTTP API's roles, and the one rule that says which an endpoint needs. Each role includes
/// the ones before it: <c>viewer</c> reads (and /metrics); <c>experimenter</c> also runs
/// experiments, marks, imports, submissions and socket identification; <c>admin</c> also assigns
/// machines to sockets (and applies an identification), enrols agents and runners
/// and manages tokens. <c>metrics</c> is Prometheus' token: /metrics only.
/// </summary>
internal static class ApiRoles
{
    public const string Viewer = "viewer";
    public const string Experimenter = "experimenter";
    public const string Admin = "admin";
    public const string Metrics = "metrics";

    /// <summary>The roles a token can be created with, lowest first.</summary>
    public static readonly IReadOnlyList<string> Assignable = [Viewer, Experimenter, Admin];

    /// <summary>Paths (under /api) only admins read or write.</summary>
    private static readonly string[] AdminPaths = ["tokens", "agents", "audit"];

    /// <summary>Paths (under /api) anyone may read but only admins write.</summary>
    private static readonly string[] AdminWritePaths = ["machines"];

    /// <summary>
    /// Writes under those paths an experimenter may make: identifying a machine's sockets only
    /// reads the meters; its endpoint asks for admin itself when the answer is to be applied.
    /// </summary>
    private static readonly string[] ExperimenterActions = ["identify"];

    public static void AddPolicies(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(Metrics, p => p.RequireRole(Metrics, Viewer, Experimenter, Admin));
        options.AddPolicy(Viewer, p => p.RequireRole(Viewer, Experimenter, Admin));
        options.AddPolicy(Experimenter, p => p.RequireRole(Experimenter, Admin));
        options.AddPolicy(Admin, p => p.RequireRole(Admin));
    }

    /// <summary>Gives every endpoint of the group the role its method and path need.</summary>
    public static void RequireRoles(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        ((IEndpointConventionBuilder)api).Add(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToList();
            var pattern = (endpoint as RouteEndpointBuilder)?.RoutePattern ?? RoutePatternFactory.Parse("/");
            endpoint.Metadata.Add(new AuthorizeAttribute(For(methods, pattern.RawText ?? string.Empty)));
        });
    }

    /// <summary>The role an endpoint needs: reads viewer, writes experimenter, and admin for machines, agents, tokens and the audit log.</summary>
    public static string For(IReadOnlyCollection<string> methods, string pattern)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(pattern);
        var path = pattern.Trim('/');
        path = path.StartsWith("api/", StringComparison.OrdinalIgnoreCase) ? path[4..] : path;
        var segments = path.Split('/');
        var first = segments[0].ToLowerInvariant();
        var reads = methods.Count > 0 && methods.All(m => HttpMethods.IsGet(m) || HttpMethods.IsHead(m));
        if (AdminPaths.Contains(first))
        {
            return Admin;
        }

        if (reads)
        {
            return Viewer;
        }

        return AdminWritePaths.Contains(first) && !ExperimenterActions.Contains(segments[^1].ToLowerInvariant()) ? Admin : Experimenter;
    }
}
