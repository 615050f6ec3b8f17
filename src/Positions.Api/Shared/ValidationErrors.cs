namespace Positions.Api.Shared;

/// <summary>Collects field → messages for a problem+json <c>errors</c> member.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages)) _errors[field] = messages = [];
        messages.Add(message);
    }

    /// <summary>Adds the error when the condition fails; returns the condition so callers can stop early.</summary>
    public bool Check(bool condition, string field, string message)
    {
        if (!condition) Add(field, message);
        return condition;
    }

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
