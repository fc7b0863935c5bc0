namespace Fleet.Storage.Migrations;

/// <summary>One versioned schema change: <c>Migrations/NNNN_name.sql</c>, applied once, in version order.</summary>
/// <param name="Version">The number before the underscore; unique and increasing.</param>
/// <param name="Name">The rest of the file name, for humans.</param>
/// <param name="Sql">The script, run in one transaction.</param>
public sealed record Migration(int Version, string Name, string Sql);
