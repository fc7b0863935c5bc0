using Fleet.OmegaWatt.Naming;

namespace Fleet.OmegaWatt.Tests.Naming;

public sealed class IdRuleTests
{
    [Theory]
    [InlineData("omegawatt-a")]
    [InlineData("srv.1_b")]
    [InlineData("A")]
    [InlineData("exp-20261125-100000-ab12cd")]
    public void IsValid_LettersDigitsDotUnderscoreDash_True(string id)
    {
        Assert.True(IdRule.IsValid(id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData("bad box")]
    [InlineData("box\n")]
    [InlineData("box/1")]
    [InlineData("é")]
    public void IsValid_AnythingElse_False(string? id)
    {
        Assert.False(IdRule.IsValid(id));
    }

    [Fact]
    public void IsValid_Length_AtMost64()
    {
        Assert.True(IdRule.IsValid(new string('a', 64)));
        Assert.False(IdRule.IsValid(new string('a', 65)));
    }

    [Fact]
    public void Invalid_QuotesTheIdAndSaysTheRule()
    {
        Assert.Equal("'bad box' is not a valid box id (letters, digits, '.', '_', '-'; at most 64)", IdRule.Invalid("bad box", "box id"));
    }
}
