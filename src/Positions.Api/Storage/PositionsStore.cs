using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using Positions.Api.Actors;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Statements.Audit;
using Positions.Api.Topics;
using Weasel.Core;
using Wolverine.Marten;

namespace Positions.Api.Storage;

public static class PositionsStore
{
    /// <summary>
    /// Marten on one shared Npgsql data source, the primary's, with every projection inline (read-your-writes).
    /// With <paramref name="readFromReplicas"/>, reads of positions prefer a standby among the connection string's
    /// hosts (<see cref="ReadDatabase"/>); everything else (writes, the registries, the audit, shifts, health) stays
    /// on the primary.
    /// </summary>
    public static IServiceCollection AddPositionsStore(this IServiceCollection services, string connectionString, bool readFromReplicas)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "positions" };
        // While the database is away, fail in seconds (503) rather than hold requests for the default 15 s.
        builder.ConnectionStringBuilder.Timeout = Math.Min(builder.ConnectionStringBuilder.Timeout, 5);
        // The same few statements run again and again (locks, lookups, each follow-up's read-model SQL): prepared once
        // per connection, they skip parsing and planning. Measured on a rebuild of 1.08 M events: follow-ups 18.8 s
        // without, 10.7 s with. A connection string that sets it keeps its own value.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 50;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }
        var (dataSource, standbys) = DataSources(builder, readFromReplicas);
        services.AddSingleton(dataSource);
        services.AddSingleton(services => new ReadDatabase(dataSource, standbys,
            services.GetRequiredService<Hosting.PositionsMetrics>(), services.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RevisionReader>();
        services.AddSingleton<AuditReader>();
        services.AddSingleton<Changes.ChangesReader>();
        services.AddSingleton<TableStatistics>();

        services.AddMarten(opts =>
            {
                opts.Connection(dataSource);
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
                    options => PositionsJson.Configure(options));
                opts.Events.StreamIdentity = StreamIdentity.AsString;

                opts.Schema.For<Actor>().Identity(a => a.Id);
                opts.Schema.For<Topic>().Identity(t => t.Id);

                opts.Events.AddEventType<StatementRecorded>();
                opts.Events.AddEventType<StatementCorrected>();
                opts.Events.AddEventType<StatementRetracted>();
                opts.Events.AddEventType<StatementSourced>();
                opts.Storage.ExtendedSchemaObjects.Add(StatementsTable.Definition());
                opts.Storage.ExtendedSchemaObjects.Add(RevisionsTable.Definition());
                opts.Storage.ExtendedSchemaObjects.Add(ShiftsTable.Definition());
                opts.Storage.ExtendedSchemaObjects.Add(ReplicaWatermark.Definition());
                opts.Storage.ExtendedSchemaObjects.Add(ShiftFeedTable.Sequence());
                opts.Storage.ExtendedSchemaObjects.Add(ShiftFeedTable.Definition());
                opts.Storage.ExtendedSchemaObjects.AddRange(Webhooks.WebhookTables.Definitions());
                opts.Projections.Add(ReadModelsProjection.Live, ProjectionLifecycle.Inline, "ReadModels", options =>
                {
                    // A rebuild starts from empty tables.
                    options.DeleteDataInTableOnTeardown(StatementsTable.Name);
                    options.DeleteDataInTableOnTeardown(RevisionsTable.Name);
                    options.DeleteDataInTableOnTeardown(ShiftsTable.Name);
                });
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .InitializeWith<CountriesAsInitialData>()
            .IntegrateWithWolverine();
        return services;
    }

    /// <summary>
    /// The primary's data source, and the standbys' when reads go to replicas. A connection string naming several
    /// hosts (Npgsql's multi-host syntax) gives one data source that can reach each: narrowed to the primary for
    /// writes, and to "prefer standby" (a standby while one answers, else the primary) for reads.
    /// </summary>
    private static (NpgsqlDataSource Primary, NpgsqlDataSource? Standbys) DataSources(NpgsqlDataSourceBuilder builder, bool readFromReplicas)
    {
        var hosts = builder.ConnectionStringBuilder.Host?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (hosts.Length < 2)
        {
            if (readFromReplicas)
                throw new InvalidOperationException(
                    "Positions:ReadFromReplicas needs ConnectionStrings:Positions to name the primary and its standbys, e.g. " +
                    "Host=db-primary,db-standby (Npgsql's multi-host syntax).");
            return (builder.Build(), null);
        }
        var all = builder.BuildMultiHost();
        return (all.WithTargetSession(TargetSessionAttributes.Primary),
            readFromReplicas ? all.WithTargetSession(TargetSessionAttributes.PreferStandby) : null);
    }
}
