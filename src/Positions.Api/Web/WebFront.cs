using Scalar.AspNetCore;

namespace Positions.Api.Web;

/// <summary>
/// What a browser gets from the service: the pages in <c>wwwroot</c> (they read the same public JSON endpoints as any
/// client), the OpenAPI document at <c>/openapi/v1.json</c> and interactive docs at <c>/scalar</c>.
/// </summary>
public static class WebFront
{
    public static IServiceCollection AddWebFront(this IServiceCollection services) =>
        services.AddOpenApi(ApiDocument.Configure);

    public static WebApplication UseWebFront(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapOpenApi();
        // No fonts from Scalar's CDN and no telemetry: the docs must work with no other network. Scalar's page has no
        // lang attribute and some of its theme colours miss 4.5:1 contrast; both are set here so the docs pass axe.
        app.MapScalarApiReference(o => o.WithTitle("Positions API").DisableDefaultFonts().DisableTelemetry()
            .ForceLightMode().AddHeadContent(ScalarAccessibility.HeadContent).WithCustomCss(ScalarAccessibility.Css));
        return app;
    }
}
