using System.Text.Json;
using Positions.Api.Shared;

namespace Positions.Api.Positions;

/// <summary>
/// Writes an <see cref="ActorPositions"/> answer around positions serialized beforehand, so that a cached answer is not
/// serialized again on every read. The bytes are those the record itself serializes to.
/// </summary>
public sealed class ActorPositionsAnswer(string actor, TimeQuery time, byte[] positionsJson) : IResult
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = PositionsJson.Options.Encoder };

    public static byte[] Serialize(IReadOnlyList<Position> positions) =>
        JsonSerializer.SerializeToUtf8Bytes(positions, PositionsJson.Options);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("actor", actor);
            writer.WriteString("asOf", time.AsOfText);
            writer.WriteString("knownAt", time.KnownAtText);
            writer.WritePropertyName("positions");
            writer.WriteRawValue(positionsJson, skipInputValidation: true);
            writer.WriteEndObject();
        }
        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
