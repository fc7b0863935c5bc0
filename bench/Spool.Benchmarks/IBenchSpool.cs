using Fleet.Grains.Abstractions.Messages;

namespace Fleet.Benchmarks.Spooling;

/// <summary>The three spools measured, behind one shape.</summary>
public interface IBenchSpool : IDisposable
{
    int Pending { get; }

    bool Append(FrameBatch batch);

    FrameBatch? Peek();

    void Acknowledge(FrameBatch batch);
}
