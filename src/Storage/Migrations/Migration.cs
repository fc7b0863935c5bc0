using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fleet.Storage.Migrations;

/// <summary>One versioned schema change: <c>Migrations/NNNN_name.sql</c>, applied once, in version order.</summary>
/// <param name="Version">The number before the underscore; unique and increasing.</param>
/// <param name="Name">The rest of the file name, for humans.</param>
/// <param name="Sql">The script, run in one transaction.</param>
/// <param name="Code">
/// What SQL alone cannot do (re-encoding stored data in a C# codec); null for most migrations.
/// It runs after the script's transaction commits, in transactions of its own (a piece at a
/// time, so a large database is not converted in one transaction), and again at every later
/// start: it must carry on from where it stopped and do nothing once done.
/// </param>
public sealed record Migration(int Version, string Name, string Sql, Func<NpgsqlConnection, ILogger, CancellationToken, Task>? Code = null);
