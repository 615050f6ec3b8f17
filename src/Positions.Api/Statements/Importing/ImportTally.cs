using Positions.Api.Shared;

namespace Positions.Api.Statements.Importing;

/// <summary>Counts an import's lines as they are decided, for the report API.md defines.</summary>
public sealed class ImportTally
{
    private readonly List<RejectedLine> _rejected = [];

    public int Recorded { get; private set; }
    public int Unchanged { get; private set; }
    public int RejectedCount => _rejected.Count;

    public void Reject(int line, ValidationErrors errors) => _rejected.Add(new RejectedLine(line, errors.ToDictionary()));

    public void Add(int line, string statementId, LineOutcome outcome, ValidationErrors? errors)
    {
        switch (outcome)
        {
            case LineOutcome.Recorded: Recorded++; break;
            case LineOutcome.Unchanged: Unchanged++; break;
            case LineOutcome.Conflict:
                var conflict = new ValidationErrors();
                conflict.Add("statementId", $"'{statementId}' was recorded with other content");
                Reject(line, conflict);
                break;
            case LineOutcome.UnknownIds: Reject(line, errors!); break;
        }
    }

    public ImportReport ToReport() => new(Recorded, Unchanged, _rejected.OrderBy(r => r.Line).ToList());
}
