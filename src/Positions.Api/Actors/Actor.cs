namespace Positions.Api.Actors;

public enum ActorKind { Country, Organisation, Person, Group }

/// <summary>Whoever holds positions. Countries exist without registration, under their ISO 3166-1 alpha-2 code.</summary>
public sealed record Actor(string Id, string Name, ActorKind Kind, string? Country);
