using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Fleet.AgentHost.Hosting;

/// <summary>
/// Host builders for the agent and its inner Orleans client host: the usual defaults
/// (appsettings.json, environment variables), but read once. Reloading on change watches the
/// content root (the working directory) recursively with a thread of its own: inotify watches
/// on every subdirectory and a wake-up for every file written below it, for settings the agent
/// never re-reads anyway.
/// </summary>
internal static class StaticConfigurationHost
{
    public static HostApplicationBuilder CreateBuilder()
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        return Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Configuration = configuration });
    }
}
