using Npgsql;

namespace Fleet.Storage.Migrations;

/// <summary>One versioned schema change: <c>Migrations/NNNN_name.sql</c>, applied once, in version order.</summary>
/// <param name="Version">The number before the underscore; unique and increasing.</param>
/// <param name="Name">The rest of the file name, for humans.</param>
/// <param name="Sql">The script, run in one transaction.</param>
/// <param name="Code">
/// What SQL alone cannot do (re-encoding stored data in a C# codec), run after the script in the
/// same transaction; null for most migrations.
/// </param>
public sealed record Migration(int Version, string Name, string Sql, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task>? Code = null);
