using System.Text.Json.Nodes;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// An independent oracle: folds an actor's raw events (from <c>GET /actors/{id}/events</c>) straight into what counts
/// at a given (asOf, knownAt), without the service's read models, then applies the pure timeline rules.
/// </summary>
public sealed class EventFold
{
    /// <summary>A revision as known from <see cref="KnownFrom"/>, with its strongest source and its strongest added one.</summary>
    private sealed record Revision(DateTimeOffset KnownFrom, string Topic, Stance Stance, string[] Conditions, DateOrInstant SaidAt, bool Retracted,
        Attribution Attribution, Attribution? Added);

    private readonly Dictionary<string, (DateTimeOffset FirstRecordedAt, List<Revision> Revisions)> _statements = new();

    public static async Task<EventFold> OfActorAsync(HttpClient client, string actor)
    {
        var fold = new EventFold();
        string? after = null;
        do
        {
            var page = (await client.GetJsonAsync($"/actors/{actor}/events?limit=1000" + (after is null ? "" : $"&after={after}"))).Json;
            foreach (var e in page["items"]!.AsArray()) fold.Apply(e!);
            after = (string?)page["next"];
        } while (after is not null);
        return fold;
    }

    public int StatementCount => _statements.Count;

    /// <summary>Every topic any revision of any statement names.</summary>
    public IEnumerable<string> Topics => _statements.Values.SelectMany(s => s.Revisions.Select(r => r.Topic)).Distinct();

    private void Apply(JsonNode e)
    {
        var at = DateTimeOffset.Parse((string)e["recordedAt"]!);
        var data = e["data"]!;
        var id = (string)data["statementId"]!;
        switch ((string)e["type"]!)
        {
            case "statement_recorded":
                _statements[id] = (at, [FromStatement(at, data["statement"]!, retracted: false, added: null)]);
                break;
            case "statement_corrected":
                var before = _statements[id].Revisions[^1];
                _statements[id].Revisions.Add(FromStatement(at, data["statement"]!, before.Retracted, before.Added));
                break;
            case "statement_retracted":
                _statements[id].Revisions.Add(_statements[id].Revisions[^1] with { KnownFrom = at, Retracted = true });
                break;
            case "statement_sourced":
                var source = AttributionOf(data["source"]!);
                var last = _statements[id].Revisions[^1];
                _statements[id].Revisions.Add(last with
                {
                    KnownFrom = at, Attribution = Min(last.Attribution, source), Added = last.Added is { } added ? Min(added, source) : source,
                });
                break;
        }
    }

    private static Revision FromStatement(DateTimeOffset at, JsonNode s, bool retracted, Attribution? added)
    {
        Assert.True(KebabEnum<Stance>.TryParse((string?)s["stance"], out var stance));
        Assert.True(DateOrInstant.TryParse((string?)s["saidAt"], out var saidAt));
        var recorded = AttributionOf(s["source"]!);
        return new Revision(at, (string)s["topic"]!, stance, s["conditions"]!.AsArray().Select(c => (string)c!).ToArray(), saidAt, retracted,
            added is { } a ? Min(recorded, a) : recorded, added);
    }

    private static Attribution AttributionOf(JsonNode source)
    {
        Assert.True(KebabEnum<Attribution>.TryParse((string?)source["attribution"], out var attribution));
        return attribution;
    }

    private static Attribution Min(Attribution a, Attribution b) => a <= b ? a : b;

    /// <summary>The entries that count on a topic, in timeline order.</summary>
    public IReadOnlyList<TimelineEntry> Counting(string topic, DateTimeOffset asOf, DateTimeOffset knownAt) => Timeline.Order(
        from statement in _statements
        let inForce = statement.Value.Revisions.LastOrDefault(r => r.KnownFrom <= knownAt)
        where inForce is not null && !inForce.Retracted && inForce.Topic == topic && inForce.SaidAt.Start <= asOf
        select new TimelineEntry(statement.Key, inForce.SaidAt, inForce.Stance, inForce.Conditions, statement.Value.FirstRecordedAt,
            inForce.Attribution));
}
