using System.Text.Json;
using System.Text.Json.Serialization;

namespace Positions.Api.Shared;

/// <summary>One JSON dialect for the API, the events and the read models: camelCase, enums in kebab-case.</summary>
public static class PositionsJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Answers are JSON, never HTML: quotes and apostrophes in what people said stay readable.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        // First, so it wins over any enum converter a caller (Marten) registered before.
        options.Converters.Insert(0, new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        // Deeply nested input is hostile, not data: refuse it early.
        options.MaxDepth = 64;
        return options;
    }
}
