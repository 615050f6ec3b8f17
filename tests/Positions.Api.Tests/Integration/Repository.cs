namespace Positions.Api.Tests.Integration;

/// <summary>Where things are in the repository, seen from the test's build output (tests/Positions.Api.Tests/bin/cfg/tfm).</summary>
public static class Repository
{
    private static readonly DirectoryInfo TestOutput = new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    public static string Root => TestOutput.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;

    public static string ServiceProject => Path.Combine(Root, "src", "Positions.Api");

    /// <summary>The service's own build output, same configuration and framework as the tests.</summary>
    public static string ServiceOutput => Path.Combine(ServiceProject, "bin", TestOutput.Parent!.Name, TestOutput.Name);
}
