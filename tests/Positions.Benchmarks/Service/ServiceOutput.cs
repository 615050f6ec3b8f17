using System.Diagnostics;

namespace Positions.Benchmarks.Service;

/// <summary>Keeps the last lines a child process wrote, to explain a failure.</summary>
public sealed class ServiceOutput
{
    private readonly Queue<string> _lines = new();

    public ServiceOutput(Process process)
    {
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Tail()
    {
        lock (_lines) return string.Join('\n', _lines);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > 40) _lines.Dequeue();
        }
    }
}
