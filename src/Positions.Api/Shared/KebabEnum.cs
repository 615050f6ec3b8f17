using System.Text.Json;

namespace Positions.Api.Shared;

/// <summary>Enum values as the API spells them: <c>StronglyOpposes</c> is <c>strongly-opposes</c>.</summary>
public static class KebabEnum<T> where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByName =
        Enum.GetValues<T>().ToDictionary(v => Name(v), v => v, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string Name(T value) => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static bool TryParse(string? text, out T value) => ByName.TryGetValue(text ?? "", out value);

    public static string Expected => "must be one of: " + string.Join(", ", Names);
}
