using System.Buffers.Text;
using System.Text.Json;

namespace Positions.Api.Shared;

/// <summary>An opaque paging cursor: the sort key of the last item of a page, as base64url JSON.</summary>
public static class Cursor
{
    public static string Encode<T>(T key) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(key, PositionsJson.Options));

    public static T? Decode<T>(string text) where T : class
    {
        try
        {
            return text.Length <= 2048 ? JsonSerializer.Deserialize<T>(Base64Url.DecodeFromChars(text), PositionsJson.Options) : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>Every list answer: <c>{ "items": [...], "next": "cursor or null" }</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next)
{
    /// <summary>From up to limit + 1 items: the extra one only tells that another page exists.</summary>
    public static Page<T> From<TKey>(IReadOnlyList<T> itemsPlusOne, int limit, Func<T, TKey> cursorKey)
    {
        if (itemsPlusOne.Count <= limit) return new Page<T>(itemsPlusOne, null);
        var items = itemsPlusOne.Take(limit).ToList();
        return new Page<T>(items, Cursor.Encode(cursorKey(items[^1])));
    }
}
