using System.Data.Common;
using Fleet.Grains.Abstractions;
using Fleet.Storage.Samples;
using Npgsql;

namespace Fleet.Grains;

/// <summary>
/// Runs a storage call from a grain and decides, once, whether a failure is transient or
/// permanent, as serializable exceptions (Npgsql's cannot cross the cluster):
/// the database refusing the data itself (a data exception, SQLSTATE class 22, or an integrity
/// constraint, class 23) is permanent and will fail the same way on every retry; anything else
/// (no connection, a timeout, a server shutting down, a missing table during an upgrade) is
/// <see cref="StorageUnavailableException"/>: the caller keeps its data and retries.
/// </summary>
internal static class StorageCalls
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(true);
        }
        catch (PostgresException error) when (IsPermanent(error))
        {
            throw error.ConstraintName == SampleWriter.FramesPerSecondConstraint
                ? new InvalidBatchException($"more than {IngestLimits.MaxFramesPerSecond} frames of the box in one second, counting those stored before (a box sends 100 a second)")
                : new RequestRejectedException($"the database refused it for good ({error.SqlState}: {error.MessageText})");
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

    private static bool IsPermanent(PostgresException error) =>
        error.SqlState.StartsWith("22", StringComparison.Ordinal) || error.SqlState.StartsWith("23", StringComparison.Ordinal);
}
