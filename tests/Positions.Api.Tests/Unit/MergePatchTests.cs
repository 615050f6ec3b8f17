using System.Text.Json.Nodes;
using Positions.Api.Statements.Correcting;

namespace Positions.Api.Tests.Unit;

public class MergePatchTests
{
    [Fact]
    public void objects_merge_member_by_member_and_null_removes()
    {
        var target = JsonNode.Parse("""{"stance":"supports","source":{"outlet":"FT","url":"https://a"},"quote":"x"}""");
        var patch = JsonNode.Parse("""{"stance":"opposes","source":{"url":"https://b"},"quote":null}""");

        var result = MergePatch.Apply(target, patch)!.ToJsonString();

        Assert.Equal("""{"stance":"opposes","source":{"outlet":"FT","url":"https://b"}}""", result);
    }

    [Fact]
    public void arrays_are_replaced_whole()
    {
        var result = MergePatch.Apply(JsonNode.Parse("""{"conditions":["a","b"]}"""), JsonNode.Parse("""{"conditions":["c"]}"""));

        Assert.Equal("""{"conditions":["c"]}""", result!.ToJsonString());
    }
}
