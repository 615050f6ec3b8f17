using System.Text.RegularExpressions;

namespace Positions.Api.Shared;

/// <summary>Ids of actors, topics and statements: <c>^[a-z0-9][a-z0-9-]{0,62}$</c>.</summary>
public static partial class Slug
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    public const string Rule = "must match ^[a-z0-9][a-z0-9-]{0,62}$ (lower-case letters, digits and hyphens)";
}
