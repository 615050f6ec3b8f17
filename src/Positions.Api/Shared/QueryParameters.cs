namespace Positions.Api.Shared;

/// <summary>
/// Reads query parameters the same way on every GET: dates or instants, limits, ids and cursors. Collects what does
/// not parse so the endpoint answers one 400 naming every bad parameter.
/// </summary>
public sealed class QueryParameters
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public ValidationErrors Errors { get; } = new();

    public bool Invalid => Errors.Any;

    /// <summary>An upper bound: a date means the end of that day. Absent means <paramref name="otherwise"/>.</summary>
    public DateTimeOffset UpperBound(string name, string? text, DateTimeOffset otherwise) =>
        Moment(name, text) is { } moment ? moment.EndInclusive : otherwise;

    /// <summary>A lower bound: a date means the start of that day.</summary>
    public DateTimeOffset? LowerBound(string name, string? text) => Moment(name, text)?.Start;

    public DateTimeOffset? UpperBound(string name, string? text) => Moment(name, text)?.EndInclusive;

    public int Limit(string? text)
    {
        if (text is null) return DefaultLimit;
        if (int.TryParse(text, out var limit) && limit is >= 1 and <= MaxLimit) return limit;
        Errors.Add("limit", $"must be a whole number from 1 to {MaxLimit}");
        return DefaultLimit;
    }

    public string? Id(string name, string? text)
    {
        if (text is null) return null;
        Errors.Check(Slug.IsValid(text), name, Slug.Rule);
        return text;
    }

    public T? Cursor<T>(string? text) where T : class
    {
        if (text is null) return null;
        var cursor = Shared.Cursor.Decode<T>(text);
        Errors.Check(cursor is not null, "after", "is not a cursor this service gave out (use the previous page's next)");
        return cursor;
    }

    public void CheckRange(DateTimeOffset? from, DateTimeOffset? to) =>
        Errors.Check(from is null || to is null || from <= to, "from", "must not lie after to");

    private DateOrInstant? Moment(string name, string? text)
    {
        if (text is null) return null;
        if (DateOrInstant.TryParse(text, out var moment)) return moment;
        Errors.Add(name, "must be a date (2025-08-26) or an instant with offset (2025-08-26T10:15:00Z)");
        return null;
    }
}
