using Fleet.OmegaWatt.Naming;

namespace Fleet.Cli.Local;

/// <summary>A box on a serial port of this host, as <c>fleet up --serial PORT=BOX</c> names it.</summary>
internal sealed record SerialBox(string Port, string Box)
{
    /// <summary>Reads PORT=BOX, or says in one line what is wrong with it.</summary>
    public static SerialBox Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var split = text.LastIndexOf('=');
        if (split <= 0 || split == text.Length - 1)
        {
            throw new CliException($"--serial '{text}': give PORT=BOX, e.g. --serial /dev/ttyUSB0=omegawatt-a (the box id is yours to choose: {IdRule.Description})");
        }

        var box = text[(split + 1)..];
        return IdRule.IsValid(box) ? new SerialBox(text[..split], box) : throw new CliException("--serial " + IdRule.Invalid(box, "box id"));
    }

    /// <summary>
    /// The port exists and this user may read and write it, before anything is started: the
    /// two things that go wrong with a box just plugged in (the adapter's name, the dialout group).
    /// </summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Port))
        {
            throw new CliException($"no serial port {Port}: is the box plugged in and its USB adapter seen? ('ls -l /dev/ttyUSB* /dev/serial/by-id/' lists the ports; 'dmesg | tail' shows the adapter arriving)");
        }

        // access(2) through the shell's test: whether this user may open it, without opening a tty.
        // By absolute path: a bare "test" would resolve to the checkout's ./test script first.
        if (await ProcessRunner.SucceedsAsync("/bin/sh", ["-c", "test -r \"$1\" -a -w \"$1\"", "sh", Port], cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        throw new CliException($"{Port}: permission denied for {Environment.UserName}: the port belongs to a group (see 'ls -l {Port}', usually dialout); "
            + "add yourself with 'sudo usermod -aG dialout $USER' and log in again");
    }
}
