using Positions.Api.Shared;

namespace Positions.Api.Statements.Recording;

public sealed record StatementAccepted(string StatementId, string RecordedAt, IReadOnlyList<StreamVersion> Streams)
{
    /// <summary>The answer a recording got, as a re-sent one gets it again.</summary>
    public static StatementAccepted Of(StatementRecord record) =>
        new(record.Id, DateOrInstant.FormatInstant(record.RecordedAt), record.Streams);
}
