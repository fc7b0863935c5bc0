using System.Data.Common;
using Fleet.Grains.Abstractions;

namespace Fleet.Grains;

/// <summary>
/// Runs a storage call from a grain so a database failure reaches the caller as a serializable
/// <see cref="StorageUnavailableException"/> (Npgsql's exceptions cannot cross the cluster).
/// </summary>
internal static class StorageCalls
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(true);
        }
        catch (Exception error) when (error is DbException or TimeoutException or IOException)
        {
            throw new StorageUnavailableException($"storage unavailable: {error.Message}");
        }
    }

    public static Task RunAsync(Func<Task> call) => RunAsync(async () =>
    {
        await call().ConfigureAwait(true);
        return true;
    });
}
