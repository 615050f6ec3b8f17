using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Positions.Api.Tests.Integration;

/// <summary>
/// The service loads its Wolverine endpoint adapters from code generated ahead of time. Code that no longer matches
/// the endpoints would run silently, so this regenerates it and compares with what is committed.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class GeneratedCodeTests(PositionsApp app)
{
    [Fact]
    public void committed_generated_code_matches_the_endpoints()
    {
        var committed = Path.Combine(Repository.ServiceProject, "Internal", "Generated");
        var fresh = Path.Combine(Path.GetTempPath(), "positions-codegen-" + Guid.NewGuid().ToString("N"));
        var collections = app.Host.Services.GetServices<ICodeFileCollection>().ToArray();
        var originalPaths = collections.Select(c => c.Rules.GeneratedCodeOutputPath).ToArray();
        try
        {
            foreach (var collection in collections) collection.Rules.GeneratedCodeOutputPath = fresh;
            new DynamicCodeBuilder(app.Host.Services, collections)
            {
                ServiceVariableSource = app.Host.Services.GetService<IServiceVariableSource>(),
            }.WriteGeneratedCode(_ => { });

            var expected = Files(fresh);
            var actual = Files(committed);
            Assert.True(expected.Keys.Order().SequenceEqual(actual.Keys.Order()),
                "Generated files differ from the committed ones; run `dotnet run --project src/Positions.Api -- codegen write`.");
            foreach (var (file, text) in expected)
                Assert.True(text == actual[file], $"{file} is stale; run `dotnet run --project src/Positions.Api -- codegen write`.");
        }
        finally
        {
            for (var i = 0; i < collections.Length; i++) collections[i].Rules.GeneratedCodeOutputPath = originalPaths[i];
            if (Directory.Exists(fresh)) Directory.Delete(fresh, recursive: true);
        }
    }

    private static Dictionary<string, string> Files(string root) => Directory
        .GetFiles(root, "*.cs", SearchOption.AllDirectories)
        .ToDictionary(f => Path.GetRelativePath(root, f), f => File.ReadAllText(f).ReplaceLineEndings());
}
