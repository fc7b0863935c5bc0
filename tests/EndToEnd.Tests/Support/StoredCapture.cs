using System.Globalization;
using Fleet.Tests.Common;
using Npgsql;

namespace Fleet.EndToEnd.Tests.Support;

/// <summary>Checks that PostgreSQL holds exactly a capture's frames for a box: none lost, none doubled, the generator's energy.</summary>
internal static class StoredCapture
{
    public static async Task AssertExactlyAsync(NpgsqlDataSource dataSource, SiloProcess silo, string box, ExpectedCapture expected, DateTimeOffset start)
    {
        await using (var count = dataSource.CreateCommand("""
            SELECT coalesce(sum(valid_frames), 0), coalesce(sum(frames), 0) FROM sample_chunks WHERE box_id = $1
            """))
        {
            count.Parameters.AddWithValue(box);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(expected.FramesValid, reader.GetInt64(0));
            Assert.Equal(expected.FramesValid + expected.FramesInvalid, reader.GetInt64(1));
        }

        var health = await silo.GetJsonAsync($"/api/boxes/{box}");
        Assert.Equal(expected.Plugs, health.GetProperty("plugs").GetInt32());
        var from = Uri.EscapeDataString(start.ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(start.AddMinutes(1).ToString("O", CultureInfo.InvariantCulture));
        for (var socket = 1; socket <= expected.Plugs; socket++)
        {
            var energy = await silo.GetJsonAsync($"/api/energy?box={box}&socket={socket}&from={from}&to={to}");
            var joules = expected.EnergyJoules[socket - 1];
            Assert.Equal(joules, energy.GetProperty("joules").GetDouble(), Math.Max(1e-6, 1e-4 * joules));
            Assert.Equal(expected.FramesValid, energy.GetProperty("frames").GetInt64());
        }
    }
}
