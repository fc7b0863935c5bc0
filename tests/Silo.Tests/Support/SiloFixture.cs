using Fleet.Storage.Tests.Support;
using Npgsql;

namespace Fleet.Silo.Tests.Support;

/// <summary>A real silo without an API token on a fresh database of its own (one per test class).</summary>
public sealed class SiloFixture : IAsyncLifetime
{
    private readonly SiloOnFreshDatabase _silo = new(apiToken: null);

    public HttpClient Http => _silo.Process.Http;

    public NpgsqlDataSource DataSource => _silo.DataSource;

    public Task InitializeAsync() => _silo.StartAsync();

    public Task DisposeAsync() => _silo.StopAsync();
}

/// <summary>
/// A real silo that requires <c>Authorization: Bearer …</c>: <see cref="Token"/> is its bootstrap
/// admin token, <see cref="MetricsToken"/> Prometheus' token (/metrics only).
/// </summary>
public sealed class TokenSiloFixture : IAsyncLifetime
{
    public const string Token = "secret";

    public const string MetricsToken = "scrape-only";

    private readonly SiloOnFreshDatabase _silo = new(Token, new Dictionary<string, string?> { ["Fleet__MetricsToken"] = MetricsToken });

    public HttpClient Http => _silo.Process.Http;

    public NpgsqlDataSource DataSource => _silo.DataSource;

    public Task InitializeAsync() => _silo.StartAsync();

    public Task DisposeAsync() => _silo.StopAsync();
}

/// <summary>Creates the database, starts the silo on it (which migrates it), and takes both down in reverse order.</summary>
internal sealed class SiloOnFreshDatabase
{
    private readonly PostgresFixture _postgres = new();
    private readonly string? _apiToken;
    private readonly IReadOnlyDictionary<string, string?>? _extra;
    private SiloProcess? _process;

    public SiloOnFreshDatabase(string? apiToken, IReadOnlyDictionary<string, string?>? extra = null)
    {
        _apiToken = apiToken;
        _extra = extra;
    }

    public SiloProcess Process => _process ?? throw new InvalidOperationException("the silo is not started");

    public NpgsqlDataSource DataSource => _postgres.DataSource;

    public async Task StartAsync()
    {
        await _postgres.InitializeAsync();
        try
        {
            _process = await SiloProcess.StartAsync(_postgres.DataSource.ConnectionString, _apiToken, extra: _extra);
        }
        catch
        {
            await _postgres.DisposeAsync();
            throw;
        }
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }
}
