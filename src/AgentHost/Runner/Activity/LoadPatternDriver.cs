using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Runner.Activity;

/// <summary>
/// Drives a <see cref="LoadPattern"/> on this machine: <c>threads</c> threads spin during "on"
/// slots and sleep during "off" slots, so the machine's power (and the sockets it is on) follows
/// the pattern for the silo's SocketIdentifier to find. Slots are placed on the wall
/// clock from the pattern's start, so a late start or a slow slot does not shift the rest.
/// </summary>
public sealed class LoadPatternDriver
{
    /// <summary>Arithmetic steps between two looks at the slot: microseconds of work, so a slot ends within microseconds.</summary>
    private const int StepsPerCheck = 2_000;

    private readonly int _threads;
    private readonly TimeProvider _time;
    private long[] _spinsPerSlot = [];

    /// <param name="threads">Busy threads in an "on" slot (1 is enough to be seen: a core adds watts; more when a machine's idle power is noisy).</param>
    public LoadPatternDriver(int threads = 1, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = threads;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Spin-loop rounds done in each slot of the last run: a check that "on" meant work and "off" meant none.</summary>
    public IReadOnlyList<long> SpinsPerSlot => _spinsPerSlot;

    /// <summary>Runs the pattern that starts at <paramref name="start"/> (this machine's clock) to its end; slots already past are skipped. Throws when cancelled, with the spinning stopped.</summary>
    public async Task RunAsync(LoadPattern pattern, DateTimeOffset start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var slots = LoadPatternSlots.All(pattern);
        var spins = new long[pattern.Slots];
        _spinsPerSlot = spins;
        var current = -1;
        var stop = false;
        using var on = new ManualResetEventSlim(false);
        var workers = Enumerable.Range(0, _threads)
            .Select(k => new Thread(() => Spin(on, spins, () => Volatile.Read(ref current), () => Volatile.Read(ref stop)))
            {
                IsBackground = true,
                Name = $"load-pattern-{k}",
            })
            .ToList();
        workers.ForEach(w => w.Start());
        try
        {
            for (var slot = 0; slot < pattern.Slots; slot++)
            {
                var end = start + TimeSpan.FromSeconds((slot + 1) * pattern.SlotSeconds);
                var slotStart = end - TimeSpan.FromSeconds(pattern.SlotSeconds);
                var now = _time.GetUtcNow();
                if (now >= end)
                {
                    continue;
                }

                if (now < slotStart)
                {
                    on.Reset();
                    await Task.Delay(slotStart - now, _time, cancellationToken).ConfigureAwait(false);
                }

                // Workers count a round for the slot they read only if the gate is still open
                // after it: opening after naming the slot and closing before naming it means an
                // "off" slot never counts a round, even if this thread is descheduled in between.
                if (slots[slot])
                {
                    Volatile.Write(ref current, slot);
                    on.Set();
                }
                else
                {
                    on.Reset();
                    Volatile.Write(ref current, slot);
                }

                var left = end - _time.GetUtcNow();
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            on.Set();
            workers.ForEach(w => w.Join());
        }
    }

    private static void Spin(ManualResetEventSlim on, long[] spins, Func<int> slot, Func<bool> stop)
    {
        var sink = 1.0;
        while (true)
        {
            on.Wait();
            if (stop())
            {
                return;
            }

            var current = slot();
            for (var k = 0; k < StepsPerCheck; k++)
            {
                sink = (sink * 1.000001) + 1e-9;
            }

            // Counted only if the slot is still the one read and still open: a worker descheduled
            // across a whole "off" slot, reading it and waking in the "on" slot after, must not
            // count its round for the "off" slot.
            if (current >= 0 && on.IsSet && slot() == current)
            {
                Interlocked.Increment(ref spins[current]);
            }

            // Keeps the loop from being optimised away and the value finite.
            if (sink > 1e6)
            {
                sink = 1.0;
            }
        }
    }
}
