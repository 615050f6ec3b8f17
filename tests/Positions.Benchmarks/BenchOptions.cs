using System.Globalization;

namespace Positions.Benchmarks;

/// <summary>What to run and at which size; every option has a default so one command runs everything.</summary>
public sealed record BenchOptions
{
    public int Statements { get; init; } = 100_000;
    public int Actors { get; init; } = 300;
    public int Topics { get; init; } = 300;
    public int Runs { get; init; } = 3;
    public int Seed { get; init; } = 20250826;
    /// <summary>A PostgreSQL to use (should hold no Positions data yet); none: a private cluster in a temp folder.</summary>
    public string? Connection { get; init; }
    public int WriteClients { get; init; } = 16;
    public int ReadClients { get; init; } = 32;
    public int WarmupSeconds { get; init; } = 10;
    public int MeasureSeconds { get; init; } = 15;
    /// <summary>Statements per POST /imports body; the service accepts bodies up to 64 MiB.</summary>
    public int ImportBatch { get; init; } = 50_000;
    /// <summary>
    /// The service's request timeout (Positions:Limits:RequestTimeoutSeconds, 30 s by default). A large import body
    /// takes longer than 30 s and would be cut off with a 503, so the harness raises it; the only setting it changes.
    /// </summary>
    public int RequestTimeoutSeconds { get; init; } = 3600;
    public string ResultsDirectory { get; init; } = "";
    public bool KeepData { get; init; }
    /// <summary>After the load figures, P2's writes through 1, 2 and 3 instances on the one database.</summary>
    public bool ScaleOut { get; init; }
    public string? Label { get; init; }
    /// <summary>Phases left out, to iterate on one figure: <c>load</c> (P2–P4 and P6), <c>P5</c>, <c>P7</c>.</summary>
    public IReadOnlySet<string> Skip { get; init; } = new HashSet<string>();

    public int RunsOf(string figure) => Skips(figure) ? 0 : Runs;

    public bool Skips(string figure) =>
        Skip.Contains(figure) || (figure is "P2" or "P3" or "P4" or "P6" or "P8" && Skip.Contains("load"));

    public static readonly string Usage = """
        Positions benchmark harness. Options (defaults in brackets):
          --statements N     statements to generate and import [100000]
          --actors N         registered actors [300]
          --topics N         registered topics [300]
          --runs N           repetitions of every figure, medians reported [3]
          --seed N           data generator seed [20250826]
          --connection CS    use this PostgreSQL instead of a private cluster (an empty database)
          --write-clients N  concurrent clients for P2 [16]
          --read-clients N   concurrent clients for P3/P4 [32]
          --warmup S         seconds of warm-up before each load measurement [10]
          --measure S        seconds measured per load figure [15]
          --import-batch N   statements per POST /imports body [50000]
          --request-timeout S  the service's Positions:Limits:RequestTimeoutSeconds [3600; the service's own default is 30]
          --results DIR      where to write the results file [tests/Positions.Benchmarks/results]
          --label TEXT       a note for the results file (e.g. "development run")
          --keep-data        keep the private cluster's data folder
          --scale-out        after the load figures, P2's writes through 1, 2 and 3 instances
          --skip LIST        leave out phases, comma-separated: load (P2-P4, P6), P5, P7
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--statements" => o with { Statements = NextInt() },
                "--actors" => o with { Actors = NextInt() },
                "--topics" => o with { Topics = NextInt() },
                "--runs" => o with { Runs = NextInt() },
                "--seed" => o with { Seed = NextInt() },
                "--connection" => o with { Connection = Next() },
                "--write-clients" => o with { WriteClients = NextInt() },
                "--read-clients" => o with { ReadClients = NextInt() },
                "--warmup" => o with { WarmupSeconds = NextInt() },
                "--measure" => o with { MeasureSeconds = NextInt() },
                "--import-batch" => o with { ImportBatch = NextInt() },
                "--request-timeout" => o with { RequestTimeoutSeconds = NextInt() },
                "--results" => o with { ResultsDirectory = Next() },
                "--label" => o with { Label = Next() },
                "--keep-data" => o with { KeepData = true },
                "--scale-out" => o with { ScaleOut = true },
                "--skip" => o with { Skip = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() },
                _ => throw new ArgumentException($"Unknown option {args[i]}"),
            };
        }
        if (o.Skip.Except(["load", "P5", "P7"]).FirstOrDefault() is { } unknown)
            throw new ArgumentException($"--skip knows load, P5 and P7, not {unknown}");
        if (o.Actors < 2 || o.Topics < 50 || o.Statements < 1000 || o.Runs < 1)
            throw new ArgumentException("Need at least 2 actors, 50 topics (one actor holds 50), 1000 statements and 1 run.");
        return o;
    }
}
