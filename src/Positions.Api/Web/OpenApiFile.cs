using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Positions.Api.Web;

/// <summary>
/// <c>openapi -o path</c>: writes the OpenAPI document as <c>/openapi/v1.json</c> serves it, without starting the
/// host, so it needs no database. The committed copy (<c>src/Positions.Api/openapi/v1.json</c>) is written this way.
/// </summary>
public static class OpenApiFile
{
    public const string DocumentName = "v1";

    public static async Task<int> WriteAsync(IServiceProvider services, string path)
    {
        var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>(DocumentName)
            .GetOpenApiDocumentAsync(CancellationToken.None);
        await using var writer = new StringWriter();
        document.SerializeAsV31(new OpenApiJsonWriter(writer));
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(path, writer + "\n");
        Console.WriteLine($"OpenAPI document written to {path}");
        return 0;
    }
}
