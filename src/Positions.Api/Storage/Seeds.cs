using System.Text.Json;
using Marten;
using Positions.Api.Actors;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Statements.Importing;
using Positions.Api.Statements.Recording;
using Positions.Api.Statements.Writing;
using Positions.Api.Topics;

namespace Positions.Api.Storage;

/// <summary>A coded article: its actors, topics and statements, each exactly as the API would take it.</summary>
public sealed record SeedFile(IReadOnlyList<RegisterActor> Actors, IReadOnlyList<RegisterTopic> Topics, IReadOnlyList<StatementInput> Statements);

public sealed record SeedReport(int Files, int Recorded, int Unchanged, IReadOnlyList<string> Problems);

/// <summary>
/// Loads <c>seeds/*.json</c> through the same rules and write path as the API, as client <c>seed</c>.
/// Idempotent: loading twice records nothing new, and a seed statement corrected since is left as corrected.
/// </summary>
public sealed class SeedLoader(IDocumentStore store, StatementWriter writer, Npgsql.NpgsqlDataSource database, TimeProvider clock,
    ILogger<SeedLoader> logger)
{
    public const string RecordedBy = "seed";

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "seeds");

    public Task<bool> DatabaseHasStatementsAsync(CancellationToken ct) => StatementsTable.AnyAsync(database, ct);

    public async Task<SeedReport> LoadAsync(CancellationToken ct)
    {
        var files = System.IO.Directory.Exists(Directory) ? System.IO.Directory.GetFiles(Directory, "*.json").Order().ToList() : [];
        int recorded = 0, unchanged = 0;
        var problems = new List<string>();
        foreach (var file in files)
        {
            var seed = JsonSerializer.Deserialize<SeedFile>(await File.ReadAllTextAsync(file, ct), PositionsJson.Options)
                       ?? throw new InvalidDataException($"{file} holds no seed.");
            foreach (var actor in seed.Actors) await RegisterAsync(file, actor.Id, e => Task.FromResult(RegisterActorEndpoint.ToActor(actor, e)), WriteLocks.Actor, problems, ct);
            foreach (var topic in seed.Topics) await RegisterAsync(file, topic.Id, e => RegisterTopicAsync(topic, e, ct), WriteLocks.Topic, problems, ct);
            foreach (var input in seed.Statements)
            {
                var outcome = await RecordAsync(input, ct);
                switch (outcome)
                {
                    case RecordOutcome.Recorded: recorded++; break;
                    case RecordOutcome.Unchanged: unchanged++; break;
                    default: problems.Add($"{Path.GetFileName(file)}: statement {input.StatementId}: {outcome}"); break;
                }
            }
        }
        foreach (var problem in problems) logger.LogWarning("Seed problem: {Problem}", problem);
        logger.LogInformation("Seeds: {Files} files, {Recorded} statements recorded, {Unchanged} unchanged", files.Count, recorded, unchanged);
        return new SeedReport(files.Count, recorded, unchanged, problems);
    }

    private async Task<Topic?> RegisterTopicAsync(RegisterTopic topic, ValidationErrors errors, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await RegisterTopicEndpoint.ToTopicAsync(topic, session, errors, ct);
    }

    private async Task RegisterAsync<T>(string file, string? id, Func<ValidationErrors, Task<T?>> validate,
        Func<string, string> lockKey, List<string> problems, CancellationToken ct) where T : class
    {
        var errors = new ValidationErrors();
        var document = await validate(errors);
        if (document is null)
        {
            problems.Add($"{Path.GetFileName(file)}: {id}: {string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key} {string.Join(", ", e.Value)}"))}");
            return;
        }
        await using var session = store.LightweightSession();
        await Registration.RegisterAsync(session, lockKey(id!), id!, document, "", ct);
        await session.SaveChangesAsync(ct);
    }

    private async Task<RecordOutcome> RecordAsync(StatementInput input, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var statement = StatementRules.Validate(input, clock.GetUtcNow(), errors);
        if (statement is null) return new RecordOutcome.Rejected(errors);

        return await writer.RecordAsync(new PendingLine(1, input.StatementId ?? RecordOutcome.NewStatementId(), statement, RecordedBy), ct);
    }
}

/// <summary>Loads the seeds at start-up into a database that has no statements yet (<c>Positions:Seed</c>, default true).</summary>
public sealed class SeedOnStartup(SeedLoader seeds, IConfiguration configuration) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Positions:Seed", true)) return;
        if (await seeds.DatabaseHasStatementsAsync(cancellationToken)) return;
        await seeds.LoadAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
