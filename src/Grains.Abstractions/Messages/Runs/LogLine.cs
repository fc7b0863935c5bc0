using System.Globalization;

namespace Fleet.Grains.Abstractions.Messages.Runs;

/// <summary>One line a command printed, numbered per machine and run from 1 (so a resent report stores it once), at cluster time.</summary>
[GenerateSerializer, Immutable, Alias("fleet.LogLine")]
public sealed record LogLine(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] LogSource Source,
    [property: Id(3)] string Text)
{
    /// <summary>
    /// The characters of a line that are kept: a command printing binary or a never-ending line
    /// must not fill the runner's memory, a report or the database. The rest is cut and counted.
    /// </summary>
    public const int MaxChars = 16_384;

    /// <summary>The kept start of a line, followed by how many characters were cut (none: the text as it is).</summary>
    public static string Cut(ReadOnlySpan<char> kept, long cutChars)
    {
        if (cutChars <= 0)
        {
            return kept.ToString();
        }

        if (kept.Length > 0 && char.IsHighSurrogate(kept[^1]))
        {
            // Never half a character (an emoji cut in two): PostgreSQL could not store it.
            kept = kept[..^1];
            cutChars++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{kept} … [fleet: {cutChars} more characters of this line not kept; lines keep {MaxChars}]");
    }

    /// <summary>The longest text stored: <see cref="MaxChars"/> and room for the note <see cref="Cut"/> appends.</summary>
    public const int MaxStoredChars = MaxChars + 128;

    /// <summary>The line as stored: a text longer than <see cref="MaxStoredChars"/> keeps <see cref="MaxChars"/> characters and the count of those cut.</summary>
    public LogLine Bounded() => Text.Length <= MaxStoredChars ? this : this with { Text = Cut(Text.AsSpan(0, MaxChars), Text.Length - MaxChars) };
}
