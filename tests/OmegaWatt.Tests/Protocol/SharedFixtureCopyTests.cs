using Fleet.Tests.Common;

namespace Fleet.OmegaWatt.Tests.Protocol;

/// <summary>
/// The repository keeps copies of the team's independent captures and generator so a clone
/// alone passes every test; where the shared originals sit next to the repository
/// (../shared), the copies must not have drifted from them.
/// </summary>
public sealed class SharedFixtureCopyTests
{
    private static readonly string Shared = Path.Combine(Fixtures.RepositoryDirectory, "..", "shared");

    public static TheoryData<string> Files => new([.. Fixtures.Names.SelectMany(n => new[] { n + ".bin", n + ".expected.csv", n + ".expected.json" })]);

    [Theory]
    [MemberData(nameof(Files))]
    public void Copy_OfASharedFixture_IsPresentAndByteForByteTheOriginal(string file)
    {
        var copy = Path.Combine(Fixtures.OmegaWattDirectory, file);
        Assert.True(File.Exists(copy), $"{copy} is missing: the repository must hold every fixture its tests read");

        var original = Path.Combine(Shared, "fixtures", "omegawatt", file);
        if (File.Exists(original))
        {
            Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(copy));
        }
    }

    [Fact]
    public void Copy_OfTheGenerator_IsPresentAndByteForByteTheOriginal()
    {
        Assert.True(File.Exists(Fixtures.Generator), $"{Fixtures.Generator} is missing");

        var original = Path.Combine(Shared, "tools", "omegawatt-gen.py");
        if (File.Exists(original))
        {
            Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(Fixtures.Generator));
        }
    }
}
