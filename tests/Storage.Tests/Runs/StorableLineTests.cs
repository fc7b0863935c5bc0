using Fleet.Storage.Runs;

namespace Fleet.Storage.Tests.Runs;

public sealed class StorableLineTests
{
    [Fact]
    public void Storable_NulAndHalfCharacters_BecomeReplacementCharacters_TheRestUntouched()
    {
        // In a fact, not theory data: the test runner's own serialisation would replace the halves first.
        (string Line, string Stored)[] cases =
        [
            ("plain", "plain"),
            ("whole \U0001F600 emoji", "whole \U0001F600 emoji"),
            ("nul \0 byte", "nul \uFFFD byte"),
            ("half \uD83D", "half \uFFFD"),
            ("\uDE00 low first", "\uFFFD low first"),
            ("\uD83D\uD83D\uDE00", "\uFFFD\U0001F600"),
        ];

        foreach (var (line, stored) in cases)
        {
            Assert.Equal(stored, RunLogStore.Storable(line));
        }
    }

    [Fact]
    public void Storable_NothingToReplace_TheSameString()
    {
        var line = "nothing to replace";

        Assert.Same(line, RunLogStore.Storable(line));
    }
}
