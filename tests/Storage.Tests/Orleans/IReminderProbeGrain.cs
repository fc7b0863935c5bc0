namespace Fleet.Storage.Tests.Orleans;

/// <summary>Registers, looks up and unregisters its own reminders through the AdoNet reminder table.</summary>
[Alias("fleet.tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithIntegerKey
{
    [Alias("RegisterAsync")]
    Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan period);

    /// <summary>Whether Orleans finds a reminder of that name for this grain (ReadReminderRowKey).</summary>
    [Alias("HasReminderAsync")]
    Task<bool> HasReminderAsync(string name);

    [Alias("UnregisterAsync")]
    Task UnregisterAsync(string name);
}
