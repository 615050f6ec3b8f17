using Microsoft.Extensions.Configuration;
using Positions.Api.Webhooks;

namespace Positions.Api.Tests.Unit;

public class WebhookRulesTests
{
    private static WebhookSettings With(params (string Key, string Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void with_no_allowed_hosts_no_url_may_subscribe_and_the_answer_says_how_to_enable_webhooks()
    {
        var refusal = With().Refusal("https://hooks.example.org/positions");
        Assert.NotNull(refusal);
        Assert.Contains("webhooks are off", refusal);
        Assert.Contains("Positions:Webhooks:AllowedHosts", refusal);
        Assert.Contains("Positions__Webhooks__AllowedHosts", refusal);
    }

    [Theory]
    [InlineData("https://hooks.example.org/positions", null)]
    [InlineData("http://HOOKS.example.org:8080/x?y=1", null)]
    [InlineData("https://evil.example.org/positions", "host 'evil.example.org' is not one this service may call")]
    [InlineData("http://169.254.169.254/latest/meta-data", "host '169.254.169.254' is not one this service may call")]
    [InlineData("https://hooks.example.org.evil.example/", "is not one this service may call")]
    [InlineData("ftp://hooks.example.org/positions", "must be an absolute http or https URL")]
    [InlineData("/relative/path", "must be an absolute http or https URL")]
    [InlineData("https://user:pass@hooks.example.org/", "must not carry a user name or password")]
    [InlineData("https://hooks.example.org/#part", "must not have a fragment")]
    [InlineData("", "is required")]
    public void a_url_must_be_http_or_https_on_an_allowed_host(string url, string? refusal)
    {
        var settings = With(("Positions:Webhooks:AllowedHosts:0", "hooks.example.org"), ("Positions:Webhooks:AllowedHosts:1", "other.example"));
        if (refusal is null) Assert.Null(settings.Refusal(url));
        else Assert.Contains(refusal, settings.Refusal(url));
    }

    [Fact]
    public void allowed_hosts_may_be_one_comma_separated_value_as_an_environment_variable_gives_it()
    {
        var settings = With(("Positions:Webhooks:AllowedHosts", " a.example , b.example,"));
        Assert.Equal(["a.example", "b.example"], settings.AllowedHosts.Order());
        Assert.Null(settings.Refusal("https://b.example/x"));
    }

    [Fact]
    public void the_signature_is_the_hex_hmac_sha256_of_the_body_keyed_with_the_secret()
    {
        // RFC 4231, test case 2.
        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            WebhookSignature.Of("Jefe", "what do ya want for nothing?"u8));
    }

    [Fact]
    public void failed_attempts_are_made_again_later_and_later_and_the_eighth_failure_gives_up()
    {
        var after = Enumerable.Range(1, 8).Select(WebhookSettings.RetryAfterFailure).ToList();
        Assert.Equal(TimeSpan.FromSeconds(1), after[0]);
        Assert.All(after.Take(7).Zip(after.Skip(1).Take(6)), pair => Assert.True(pair.Second > pair.First));
        Assert.Null(after[7]);
    }

    [Fact]
    public void a_host_with_a_port_on_the_list_allows_that_port_only()
    {
        var settings = With(("Positions:Webhooks:AllowedHosts", "hooks.example.org:8443, any.example"));
        Assert.Null(settings.Refusal("https://hooks.example.org:8443/x"));
        Assert.Contains("'hooks.example.org' is not one", settings.Refusal("https://hooks.example.org/x"));
        Assert.Contains("'hooks.example.org:22' is not one", settings.Refusal("http://hooks.example.org:22/x"));
        Assert.Null(settings.Refusal("http://any.example:6000/x"));
    }
}
