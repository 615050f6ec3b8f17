namespace Positions.Benchmarks.Data;

/// <summary>
/// Fresh statements for P2 (POST /statements under load): request n of a run always gets the same body. The hot
/// actor is never written, so P3/P4 read the same amount throughout.
/// </summary>
public sealed class LiveStatements(Dataset dataset, string prefix)
{
    public string Body(long n)
    {
        // string.GetHashCode differs per process; this mix is stable across runs.
        var random = new Random(unchecked(dataset.Seed * 31 + (int)n * 7919 + prefix.Sum(c => c * 131)));
        var actor = 1 + random.Next(dataset.ActorCount - 1);
        var topics = dataset.TopicsOfActor[actor];
        var day = Dataset.FirstDay.DayNumber + random.Next(Dataset.LastDay.DayNumber - Dataset.FirstDay.DayNumber);
        var planned = new PlannedStatement((int)(n % int.MaxValue), actor, -1, topics[random.Next(topics.Length)],
            random.Next(Dataset.StanceNames.Length), random.NextDouble() < 0.15, DateOnly.FromDayNumber(day), false);
        return StatementJson.Statement($"{prefix}-{n}", planned);
    }
}
