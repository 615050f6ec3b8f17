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
        // No fonts from Scalar's CDN: the docs must work with no other network.
        app.MapScalarApiReference(o => o.WithTitle("Positions API").DisableDefaultFonts());
        return app;
    }
}
