namespace Positions.Api.Topics;

/// <summary>A question actors take a stance on.</summary>
public sealed record Topic(string Id, string Title, string? Question, string? Parent);
