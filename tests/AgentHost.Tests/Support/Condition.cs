namespace Fleet.AgentHost.Tests.Support;

/// <summary>Waits for something to become true, with a bound and a message saying what never happened; never a fixed sleep.</summary>
internal static class Condition
{
    public static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
            }

            await Task.Delay(10);
        }
    }
}
