namespace Barometre.Testing;

/// <summary>
/// The rule for what a test needs outside .NET (chromium, poppler-utils, axe-core, a PostgreSQL server): missing on a
/// developer's machine, the test is skipped with a loud reason; with CI=true (where .ci/run installs everything) it fails.
/// </summary>
public static class TestEnvironment
{
    /// <summary>Whether the tests run in CI (<c>CI=true</c>), where nothing may be skipped.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the current test with <paramref name="reason"/> (also written to stderr), or fails it in CI.</summary>
    public static void SkipOrFail(string reason)
    {
        if (IsCi)
        {
            Assert.Fail(reason + " CI=true, so this is a failure, not a skip.");
        }
        Console.Error.WriteLine(reason + " SKIPPED.");
        Assert.Skip(reason);
    }
}
