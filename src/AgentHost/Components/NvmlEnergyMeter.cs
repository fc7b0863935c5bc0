using System.Diagnostics.CodeAnalysis;
using Fleet.Grains.Abstractions.Messages.Runs;

namespace Fleet.AgentHost.Components;

/// <summary>
/// Every GPU's energy from NVML's own counter (<c>nvmlDeviceGetTotalEnergyConsumption</c>, in
/// millijoules since the driver loaded): the driver integrates power far faster than any sampler
/// we could run, so this is preferred over <see cref="NvidiaSmiMeter"/> when the GPUs have it.
/// The 64-bit counter does not wrap in practice.
/// </summary>
public sealed class NvmlEnergyMeter : IComponentMeter
{
    public const string LibraryMissingReason = "no " + NvmlNative.Library;

    private readonly nint[] _devices;
    private readonly ulong[] _startMillijoules;
    private readonly Lock _gate = new();
    private bool _started;
    private bool _disposed;

    private NvmlEnergyMeter(nint[] devices)
    {
        _devices = devices;
        _startMillijoules = new ulong[devices.Length];
        var count = devices.Length == 1 ? "1 GPU" : $"{devices.Length} GPUs";
        Status = new ComponentStatus(ComponentNames.Gpu, Available: true, Source: $"NVML total energy counter ({count}, nvmlDeviceGetTotalEnergyConsumption)");
    }

    public string Component => ComponentNames.Gpu;

    public ComponentStatus Status { get; }

    /// <summary>
    /// Loads NVML and checks every GPU has the energy counter. False, with the reason, when the
    /// library is missing, initialisation fails, there is no GPU, or a GPU predates the counter
    /// (then the caller falls back to nvidia-smi).
    /// </summary>
    public static bool TryCreate([NotNullWhen(true)] out NvmlEnergyMeter? meter, out string reason)
    {
        meter = null;
        int result;
        try
        {
            result = NvmlNative.Init();
        }
        catch (DllNotFoundException)
        {
            reason = LibraryMissingReason;
            return false;
        }
        catch (EntryPointNotFoundException exception)
        {
            reason = $"{NvmlNative.Library} is too old: {exception.Message}";
            return false;
        }

        if (result != NvmlNative.Success)
        {
            reason = $"nvmlInit_v2 failed (NVML error {result})";
            return false;
        }

        var devices = Devices(out reason);
        if (devices is null)
        {
            _ = NvmlNative.Shutdown();
            return false;
        }

        meter = new NvmlEnergyMeter(devices);
        reason = string.Empty;
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_started)
            {
                for (var k = 0; k < _devices.Length; k++)
                {
                    _startMillijoules[k] = ReadMillijoules(k);
                }

                _started = true;
            }
        }

        return Task.CompletedTask;
    }

    public double ReadJoules()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_started)
            {
                throw new InvalidOperationException("NVML meter not started");
            }

            ulong millijoules = 0;
            for (var k = 0; k < _devices.Length; k++)
            {
                millijoules += ReadMillijoules(k) - _startMillijoules[k];
            }

            return millijoules / 1e3;
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _ = NvmlNative.Shutdown();
            }
        }

        return ValueTask.CompletedTask;
    }

    private ulong ReadMillijoules(int device)
    {
        var result = NvmlNative.DeviceGetTotalEnergyConsumption(_devices[device], out var millijoules);
        return result == NvmlNative.Success
            ? millijoules
            : throw new InvalidOperationException($"nvmlDeviceGetTotalEnergyConsumption failed for GPU {device} (NVML error {result})");
    }

    private static nint[]? Devices(out string reason)
    {
        var result = NvmlNative.DeviceGetCount(out var count);
        if (result != NvmlNative.Success || count == 0)
        {
            reason = result == NvmlNative.Success ? "NVML lists no GPU" : $"nvmlDeviceGetCount_v2 failed (NVML error {result})";
            return null;
        }

        var devices = new nint[count];
        for (uint index = 0; index < count; index++)
        {
            result = NvmlNative.DeviceGetHandleByIndex(index, out devices[index]);
            if (result != NvmlNative.Success)
            {
                reason = $"nvmlDeviceGetHandleByIndex_v2({index}) failed (NVML error {result})";
                return null;
            }

            result = NvmlNative.DeviceGetTotalEnergyConsumption(devices[index], out _);
            if (result != NvmlNative.Success)
            {
                reason = result == NvmlNative.NotSupported
                    ? $"GPU {index} has no total energy counter (Volta or newer has it)"
                    : $"nvmlDeviceGetTotalEnergyConsumption failed for GPU {index} (NVML error {result})";
                return null;
            }
        }

        reason = string.Empty;
        return devices;
    }
}
