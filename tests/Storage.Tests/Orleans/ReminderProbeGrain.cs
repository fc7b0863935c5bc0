using Orleans.Runtime;

namespace Fleet.Storage.Tests.Orleans;

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan period) => this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<bool> HasReminderAsync(string name) => await this.GetReminder(name) is not null;

    public async Task UnregisterAsync(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    // The tests use periods far longer than they run, so a tick is never expected.
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
