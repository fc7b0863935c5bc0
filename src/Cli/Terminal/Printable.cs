using System.Globalization;
using System.Text;

namespace Fleet.Cli.Terminal;

/// <summary>
/// Text that came from outside (a file's first line, a server's message) made safe to print on
/// one terminal line: control characters and undecodable bytes are shown as escapes, never sent
/// to the terminal.
/// </summary>
internal static class Printable
{
    public static string Line(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029)
            {
                output.Append(rune.Value <= 0xFF ? string.Create(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}") : string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}"));
            }
            else
            {
                output.Append(rune.ToString());
            }
        }

        return output.ToString();
    }
}
