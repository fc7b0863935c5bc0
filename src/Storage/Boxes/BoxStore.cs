using Npgsql;

namespace Fleet.Storage.Boxes;

/// <summary>The boxes Fleet has seen and their plug count, which a box keeps for life.</summary>
public sealed class BoxStore
{
    private readonly NpgsqlDataSource _dataSource;

    public BoxStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>The box's plug count, or null for a box that never sent a frame.</summary>
    public async Task<int?> GetPlugsAsync(string boxId, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT plugs FROM boxes WHERE box_id = @box");
        command.Parameters.Add(new NpgsqlParameter<string>("box", boxId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is short plugs ? plugs : null;
    }

    public async Task<IReadOnlyList<(string BoxId, int Plugs)>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT box_id, plugs FROM boxes ORDER BY box_id");
        var boxes = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            boxes.Add((reader.GetString(0), reader.GetInt16(1)));
        }

        return boxes;
    }
}
