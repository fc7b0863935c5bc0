using System.IO.Pipelines;

namespace Fleet.AgentHost.Sources;

/// <summary>Copies a stream as fast as it delivers: standard input, or a capture replayed at full speed.</summary>
public sealed class StreamSource : IByteSource
{
    private readonly Func<Stream> _open;

    public StreamSource(string description, Func<Stream> open)
    {
        Description = description;
        _open = open;
    }

    public string Description { get; }

    public static StreamSource StandardInput() => new("stdin", Console.OpenStandardInput);

    public static StreamSource File(string path) => new(
        $"replay {path} (max rate)",
        () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous));

    public async Task RunAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var stream = _open();
        await stream.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
