using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Positions.Api.Shared;

namespace Positions.Api.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> against <c>Positions:ApiKeys:&lt;client-name&gt;</c>. The client name
/// becomes <c>recordedBy</c>. Keys are compared as SHA-256 digests in constant time and never logged.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());

        var client = keys.ClientFor(header["Bearer ".Length..].Trim());
        if (client is null) return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, client)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Problem(StatusCodes.Status401Unauthorized, "Unauthorized",
                "Send a valid API key as 'Authorization: Bearer <key>'.")
            .ExecuteAsync(Context);
}

/// <summary>The configured API keys, kept only as digests.</summary>
public sealed class ApiKeys
{
    private readonly IReadOnlyList<(string Client, byte[] Digest)> _keys;

    public ApiKeys(IConfiguration configuration) =>
        _keys = configuration.GetSection("Positions:ApiKeys").GetChildren()
            .Where(entry => !string.IsNullOrEmpty(entry.Value))
            .Select(entry => (entry.Key, Digest(entry.Value!)))
            .ToList();

    public string? ClientFor(string presentedKey)
    {
        var presented = Digest(presentedKey);
        string? match = null;
        // Look at every key, whatever matches, so the time taken says nothing about which key came close.
        foreach (var (client, digest) in _keys)
            if (CryptographicOperations.FixedTimeEquals(presented, digest)) match = client;
        return match;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

public static class ClientPrincipal
{
    public static string ClientName(this ClaimsPrincipal user) =>
        user.Identity?.Name ?? throw new InvalidOperationException("Write endpoints require an authenticated client.");
}
