using Positions.Api.Statements.Writing;
using Positions.Api.Shared;
using Positions.Api.Statements.Recording;

namespace Positions.Api.Statements.Importing;

/// <summary>Counts an import's lines as they are decided, for the report API.md defines.</summary>
public sealed class ImportTally
{
    private readonly List<RejectedLine> _rejected = [];

    public int Recorded { get; private set; }
    public int Unchanged { get; private set; }
    public int RejectedCount => _rejected.Count;

    public void Reject(int line, ValidationErrors errors) => _rejected.Add(new RejectedLine(line, errors.ToDictionary()));

    public void Add(int line, RecordOutcome outcome)
    {
        switch (outcome)
        {
            case RecordOutcome.Recorded: Recorded++; break;
            case RecordOutcome.Unchanged: Unchanged++; break;
            case RecordOutcome.Conflict conflict:
                var errors = new ValidationErrors();
                errors.Add("statementId", $"'{conflict.StatementId}' was recorded with other content");
                Reject(line, errors);
                break;
            case RecordOutcome.Rejected rejected: Reject(line, rejected.Errors); break;
        }
    }

    public ImportReport ToReport() => new(Recorded, Unchanged, _rejected.OrderBy(r => r.Line).ToList());
}
