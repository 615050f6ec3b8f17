using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Positions.Api.Shared;

/// <summary>
/// A point in the world's time as a client gave it: a calendar date (<c>2025-08-26</c>) or an instant
/// (<c>2025-08-26T10:15:00Z</c>). A date starts at midnight UTC when it is a statement's <c>saidAt</c> and
/// ends at the last microsecond of that day when it is an upper bound (<c>asOf</c>, <c>knownAt</c>, <c>to</c>).
/// </summary>
[JsonConverter(typeof(DateOrInstantJsonConverter))]
public readonly record struct DateOrInstant(DateTimeOffset Start, bool IsDate)
{
    // PostgreSQL keeps microseconds: the last representable instant of a day is one microsecond before the next.
    private static readonly TimeSpan OneMicrosecond = TimeSpan.FromTicks(10);

    public DateTimeOffset EndInclusive => IsDate ? Start.AddDays(1) - OneMicrosecond : Start;

    public static DateOrInstant FromInstant(DateTimeOffset instant) => new(Truncate(instant.ToUniversalTime()), false);

    public static DateOrInstant FromDate(DateOnly date) =>
        new(new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), true);

    public static bool TryParse(string? text, out DateOrInstant value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40) return false;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = FromDate(date);
            return true;
        }
        // An instant must say which offset it is in: a bare local time would mean different things on different servers.
        if (text.Contains('T') && (text.EndsWith('Z') || text.EndsWith("z") || HasOffset(text)) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var instant))
        {
            value = FromInstant(instant);
            return true;
        }
        return false;
    }

    public override string ToString() => IsDate
        ? Start.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : FormatInstant(Start);

    /// <summary>Instants are written in UTC with as many fractional digits as PostgreSQL keeps (microseconds).</summary>
    public static string FormatInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Truncate(DateTimeOffset instant) =>
        new(instant.UtcTicks - instant.UtcTicks % 10, TimeSpan.Zero);

    private static bool HasOffset(string text)
    {
        var timePart = text[(text.IndexOf('T') + 1)..];
        return timePart.Contains('+') || timePart.Contains('-');
    }
}

public sealed class DateOrInstantJsonConverter : JsonConverter<DateOrInstant>
{
    public override DateOrInstant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("Expected a date (2025-08-26) or an instant (2025-08-26T10:15:00Z).");
        return DateOrInstant.TryParse(reader.GetString(), out var value)
            ? value
            : throw new JsonException("Expected a date (2025-08-26) or an instant (2025-08-26T10:15:00Z).");
    }

    public override void Write(Utf8JsonWriter writer, DateOrInstant value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
