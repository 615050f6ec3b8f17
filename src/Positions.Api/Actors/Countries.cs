using Marten;
using Marten.Schema;
using Weasel.Core;

namespace Positions.Api.Actors;

/// <summary>Every ISO 3166-1 country as an actor, with its English short name.</summary>
public static class Countries
{
    public static readonly IReadOnlyList<Actor> All = File
        .ReadLines(Path.Combine(AppContext.BaseDirectory, "Actors", "countries.tsv"))
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(line => line.Split('\t'))
        .Select(cells => new Actor(cells[0], cells[1], ActorKind.Country, null))
        .ToList();
}

/// <summary>Stores the countries when the store starts (and after a test reset), leaving existing ones alone.</summary>
public sealed class CountriesAsInitialData : IInitialData
{
    public Task Populate(IDocumentStore store, CancellationToken cancellation) =>
        store.BulkInsertAsync(Countries.All.ToList(), BulkInsertMode.IgnoreDuplicates, 1000, cancellation);
}
