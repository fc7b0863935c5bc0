using Fleet.Cli.Parsing;

namespace Fleet.Cli.Tests.Parsing;

public sealed class SuggestionsTests
{
    [Theory]
    [InlineData("stauts", "status")]
    [InlineData("lsit", "list")]
    [InlineData("--machin", "--machine")]
    [InlineData("--jsno", "--json")]
    [InlineData("--output", "--out")]
    [InlineData("mach", "machines")]
    public void Closest_Typo_TheIntendedName(string typed, string expected)
    {
        Assert.Equal(expected, Suggestions.Closest(typed, ["status", "start", "list", "machines", "--machine", "--json", "--out", "--from"]));
    }

    [Theory]
    [InlineData("zzz")]
    [InlineData("--everything")]
    public void Closest_NothingNear_Null(string typed)
    {
        Assert.Null(Suggestions.Closest(typed, ["status", "list", "--machine", "--json"]));
    }

    [Theory]
    [InlineData("status", "status", 0)]
    [InlineData("stauts", "status", 1)]
    [InlineData("lsit", "list", 1)]
    [InlineData("kitten", "sitting", 3)]
    public void Distance_SwapsCountOnce(string a, string b, int expected)
    {
        Assert.Equal(expected, Suggestions.Distance(a, b));
    }
}
