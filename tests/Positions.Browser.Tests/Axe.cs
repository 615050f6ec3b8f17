using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Positions.Browser.Tests;

/// <summary>
/// axe-core (the version shipped in Deque.AxeCore.Playwright) run over a drawn page, with every rule it runs by
/// default. Serious and critical violations fail a test; moderate and minor ones are written to the test output.
/// </summary>
public static class Axe
{
    private static readonly string[] Blocking = ["serious", "critical"];

    public static async Task<AxeResult> RunAsync(IPage page, AxeRunContext? context = null)
    {
        var options = new AxeRunOptions { ResultTypes = [ResultType.Violations] };
        var result = context is null ? await page.RunAxe(options) : await page.RunAxe(context, options);
        var all = result.Violations ?? [];
        var report = all.Length == 0 ? "none" : Describe(all);
        TestContext.Current.SendDiagnosticMessage($"axe {result.TestEngine?.Version} on {result.Url}: {report}");
        Console.WriteLine($"axe {result.TestEngine?.Version} on {result.Url}: {report}");
        return result;
    }

    public static AxeResultItem[] Serious(AxeResult result) =>
        (result.Violations ?? []).Where(v => Blocking.Contains(v.Impact)).ToArray();

    /// <summary>One line per rule and one per offending node: enough to find each without rerunning.</summary>
    public static string Describe(IEnumerable<AxeResultItem> violations) => string.Join("\n", violations.Select(v =>
        $"{v.Id} ({v.Impact}): {v.Help}\n" + string.Join("\n", v.Nodes.Select(n => $"    {n.Target}  {Shorten(n.Html)}"))));

    private static string Shorten(string html) => html.Length <= 160 ? html : html[..157] + "...";
}
