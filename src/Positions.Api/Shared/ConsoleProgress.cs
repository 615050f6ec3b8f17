using System.Diagnostics;

namespace Positions.Api.Shared;

/// <summary>
/// Progress of a long command on stderr: one line redrawn in place on a terminal, a line every few seconds when
/// stderr is a file (CI logs stay short). Share done, count, rate and ETA.
/// </summary>
public sealed class ConsoleProgress(string unit)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _redraw = !Console.IsErrorRedirected;
    private TimeSpan? _lastPrinted;

    public void Report(double share, long count, string details = "")
    {
        // A null last time compares false: the first report always prints.
        if (!_redraw && _clock.Elapsed - _lastPrinted < TimeSpan.FromSeconds(5)) return;
        _lastPrinted = _clock.Elapsed;
        Print(share, count, details, final: false);
    }

    public void Finish(long count, string details = "") => Print(1, count, details, final: true);

    private void Print(double share, long count, string details, bool final)
    {
        share = Math.Clamp(share, 0, 1);
        var seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var eta = share > 0 ? TimeSpan.FromSeconds(seconds / share - seconds) : TimeSpan.Zero;
        var text = $"{share * 100,3:0}% {Bar(share)} {count:N0} {unit}, {count / seconds:N0} {unit}/s" +
                   (details.Length > 0 ? $", {details}" : "") +
                   (final ? $", done in {_clock.Elapsed:m\\:ss}" : $", ETA {eta:m\\:ss}");
        Console.Error.Write(_redraw ? $"\r{text}   " : text + Environment.NewLine);
        if (_redraw && final) Console.Error.WriteLine();
    }

    private static string Bar(double share)
    {
        const int width = 24;
        var filled = (int)Math.Round(share * width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }
}
