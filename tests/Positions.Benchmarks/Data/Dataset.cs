namespace Positions.Benchmarks.Data;

/// <summary>One generated statement, kept compact (a million of them live in memory); text is made when written.</summary>
public readonly record struct PlannedStatement(int Index, int Actor, int Partner, int Topic, int Stance, bool Conditional, DateOnly SaidAt, bool Late);

public sealed record Correction(int Index, string NewStance);

/// <summary>
/// A deterministic data set: actors, topics, statements in recording order (mostly chronological by saidAt, ~3%
/// late reports of the past), and the follow-ups applied after import (~2% corrected, ~1% retracted).
/// </summary>
public sealed record Dataset(
    int Seed,
    int ActorCount,
    int TopicCount,
    PlannedStatement[] Statements,
    int[][] TopicsOfActor,
    IReadOnlyList<Correction> Corrections,
    IReadOnlyList<int> Retractions)
{
    /// <summary>The actor read by P3/P4: it holds exactly 50 topics.</summary>
    public const int HotActor = 0;
    public const int HotActorTopics = 50;

    public static readonly string[] StanceNames = ["strongly-opposes", "opposes", "neutral", "supports", "strongly-supports"];

    public static readonly DateOnly FirstDay = new(2001, 1, 1);
    public static readonly DateOnly LastDay = new(2025, 12, 31);

    public static string ActorId(int actor) => $"bench-actor-{actor:D4}";
    public static string TopicId(int topic) => $"bench-topic-{topic:D4}";
    public string StatementId(int index) => $"bench-{Seed}-{index:D7}";

    public int JointCount => Statements.Count(s => s.Partner >= 0);
    public int LateCount => Statements.Count(s => s.Late);
    public long EventCount => Statements.Sum(s => s.Partner >= 0 ? 2L : 1L);
}
