using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Positions.Api.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics: ASP.NET Core, Npgsql, Wolverine and Marten where they emit them, and Positions'
/// own (<see cref="PositionsMetrics"/>). Metrics are always scrapeable at <c>/metrics</c> (Prometheus); traces are
/// collected, and traces and metrics sent to an OTLP collector, only when one is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, the standard
/// variable, or <c>Positions:Telemetry:OtlpEndpoint</c>).
/// </summary>
public static class Telemetry
{
    public static void AddPositionsTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PositionsMetrics>();
        var otlp = builder.Configuration["Positions:Telemetry:OtlpEndpoint"] ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("positions"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(PositionsMetrics.MeterName, "Wolverine:*", "Marten", "Npgsql")
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    // A scrape shows what happened up to it, not a copy cached for a while.
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp is not null) metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            });
        // Traces only where they go somewhere: a listener makes every request and command build its activities.
        if (otlp is not null)
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddNpgsql().AddSource("Wolverine", "Marten")
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
    }

    /// <summary>The Prometheus scrape endpoint, left out of the API's OpenAPI document (it is for operators).</summary>
    public static void MapMetrics(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint("/metrics").ExcludeFromDescription();
}
