namespace Positions.Api.Tests.Integration;

/// <summary>
/// What the long-running tests measured (requests sent, faults injected, what was lost), appended to
/// tests/Positions.Api.Tests/TestResults/figures.txt: passing tests' output is otherwise not shown.
/// </summary>
public static class Figures
{
    public static string File => Path.Combine(Repository.Root, "tests", "Positions.Api.Tests", "TestResults", "figures.txt");

    public static void Report(string line)
    {
        Console.WriteLine(line);
        Directory.CreateDirectory(Path.GetDirectoryName(File)!);
        System.IO.File.AppendAllText(File, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z {line}{Environment.NewLine}");
    }
}
