namespace Positions.Benchmarks.Data;

/// <summary>Builds a <see cref="Dataset"/> from a seed: the same options always give the same data.</summary>
public static class DatasetGenerator
{
    private const double JointShare = 0.05, LateShare = 0.03, CorrectedShare = 0.02, RetractedShare = 0.01;
    // A holder usually repeats its stance on a topic (reaffirmations) and sometimes moves (shifts).
    private const double KeepStanceShare = 0.7;

    public static Dataset Generate(BenchOptions options)
    {
        var random = new Random(options.Seed);
        var topicsOfActor = AssignTopics(random, options.Actors, options.Topics);
        var holders = HoldersOfTopics(topicsOfActor, options.Topics);
        var span = LastDayNumber - FirstDayNumber;

        // The hot actor is a prominent one (0.5% of statements, at least 4 per topic), so P3/P4 read ~50 positions
        // with some history at any size; it takes its topics in turn so that none is left out.
        var hotShare = Math.Min(0.5, Math.Max(0.005, 4.0 * Dataset.HotActorTopics / options.Statements));
        var hotStatements = 0;
        var drafts = new (int Actor, int Partner, int Topic, int Day)[options.Statements];
        for (var i = 0; i < drafts.Length; i++)
        {
            var hot = random.NextDouble() < hotShare;
            var actor = hot ? Dataset.HotActor : 1 + random.Next(options.Actors - 1);
            var topics = topicsOfActor[actor];
            var topic = hot ? topics[hotStatements++ % topics.Length] : topics[random.Next(topics.Length)];
            var partner = -1;
            // A few tries: the partner must hold the topic too and differ from the first holder.
            if (random.NextDouble() < JointShare)
                for (var attempt = 0; attempt < 3 && partner < 0; attempt++)
                {
                    var others = holders[topic];
                    var candidate = others[random.Next(others.Length)];
                    if (candidate != actor) partner = candidate;
                }
            drafts[i] = (actor, partner, topic, FirstDayNumber + random.Next(span + 1));
        }
        // Recording order follows the world's order, as a newsdesk catching up day by day would...
        Array.Sort(drafts, (a, b) => a.Day.CompareTo(b.Day));

        var lastStance = new Dictionary<(int, int), int>();
        var statements = new PlannedStatement[drafts.Length];
        for (var i = 0; i < drafts.Length; i++)
        {
            var (actor, partner, topic, day) = drafts[i];
            // ...except late reports: said well before statements already recorded.
            var late = random.NextDouble() < LateShare && day - FirstDayNumber > 400;
            if (late) day = FirstDayNumber + random.Next(day - FirstDayNumber - 365);
            var stance = lastStance.TryGetValue((actor, topic), out var previous) && random.NextDouble() < KeepStanceShare
                ? previous
                : random.Next(Dataset.StanceNames.Length);
            lastStance[(actor, topic)] = stance;
            statements[i] = new PlannedStatement(i, actor, partner, topic, stance, random.NextDouble() < 0.15,
                DateOnly.FromDayNumber(day), late);
        }

        var corrections = Pick(random, drafts.Length, CorrectedShare)
            .Select(i => new Correction(i, Dataset.StanceNames[(statements[i].Stance + 1 + random.Next(4)) % 5]))
            .ToList();
        var retractions = Pick(random, drafts.Length, RetractedShare).ToList();
        return new Dataset(options.Seed, options.Actors, options.Topics, statements, topicsOfActor, corrections, retractions);
    }

    private static int FirstDayNumber => Dataset.FirstDay.DayNumber;
    private static int LastDayNumber => Dataset.LastDay.DayNumber;

    /// <summary>The hot actor holds exactly 50 topics; the others between 5 and 80.</summary>
    private static int[][] AssignTopics(Random random, int actors, int topics)
    {
        var result = new int[actors][];
        for (var a = 0; a < actors; a++)
        {
            var count = a == Dataset.HotActor ? Dataset.HotActorTopics : Math.Min(topics, random.Next(5, 81));
            var all = Enumerable.Range(0, topics).ToArray();
            random.Shuffle(all);
            result[a] = all[..count];
            Array.Sort(result[a]);
        }
        return result;
    }

    private static int[][] HoldersOfTopics(int[][] topicsOfActor, int topics)
    {
        var holders = Enumerable.Range(0, topics).Select(_ => new List<int>()).ToArray();
        for (var a = 0; a < topicsOfActor.Length; a++)
            foreach (var t in topicsOfActor[a]) holders[t].Add(a);
        // Every topic needs a holder for joint statements; a topic nobody holds is never drawn anyway.
        return holders.Select(h => h.Count == 0 ? [0] : h.ToArray()).ToArray();
    }

    private static IEnumerable<int> Pick(Random random, int count, double share)
    {
        var picked = new SortedSet<int>();
        var target = (int)(count * share);
        while (picked.Count < target) picked.Add(random.Next(count));
        return picked;
    }
}
