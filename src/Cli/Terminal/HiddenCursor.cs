using System.Runtime.InteropServices;

namespace Fleet.Cli.Terminal;

/// <summary>
/// Hides the terminal's cursor while a live view redraws, and shows it again however the
/// command ends: disposed normally, on Ctrl-C or SIGTERM (before the command line library's
/// grace period can cut the command short), and at process exit. Showing it twice is harmless;
/// leaving it hidden breaks the user's shell.
/// </summary>
internal sealed class HiddenCursor : IDisposable
{
    private const string Hide = "\u001b[?25l";
    private const string Show = "\u001b[?25h";

    private readonly TextWriter _terminal;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _shown;

    public HiddenCursor(TextWriter terminal)
    {
        _terminal = terminal;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Restore());
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Restore());
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        _terminal.Write(Hide);
        _terminal.Flush();
    }

    public void Dispose()
    {
        Restore();
        _interrupt.Dispose();
        _terminate.Dispose();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
    }

    private void OnProcessExit(object? sender, EventArgs e) => Restore();

    private void Restore()
    {
        if (Interlocked.Exchange(ref _shown, 1) == 0)
        {
            _terminal.Write(Show);
            _terminal.Flush();
        }
    }
}
