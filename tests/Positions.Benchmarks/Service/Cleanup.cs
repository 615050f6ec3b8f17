namespace Positions.Benchmarks.Service;

/// <summary>
/// What must not outlive the harness (the service process, the private cluster) when it is stopped with Ctrl+C,
/// which otherwise ends the process without running any finally block.
/// </summary>
public static class Cleanup
{
    private static readonly List<Action> Actions = [];

    static Cleanup() => Console.CancelKeyPress += (_, e) =>
    {
        Console.WriteLine("Stopping: cleaning up the service and the database");
        Action[] actions;
        lock (Actions) actions = [.. Actions];
        foreach (var action in actions.Reverse())
        {
            try { action(); }
            catch (Exception ex) { Console.Error.WriteLine(ex.Message); }
        }
        e.Cancel = false;
    };

    public static IDisposable Register(Action action)
    {
        lock (Actions) Actions.Add(action);
        return new Registration(action);
    }

    private sealed class Registration(Action action) : IDisposable
    {
        public void Dispose()
        {
            lock (Actions) Actions.Remove(action);
        }
    }
}
