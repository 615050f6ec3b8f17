namespace Positions.Benchmarks.Service;

public static class Repository
{
    /// <summary>The folder holding Positions.sln, found upwards from the harness's build output.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Positions.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run the harness from inside the Positions repository.");
    }
}
