using System.Security.Cryptography;
using System.Text;

namespace Positions.Api.Webhooks;

/// <summary><c>Positions-Signature: sha256=&lt;hex HMAC-SHA256 of the raw body, keyed with the subscription's secret&gt;</c>.</summary>
public static class WebhookSignature
{
    public const string Header = "Positions-Signature";
    public const string DeliveryHeader = "Positions-Delivery";

    public static string Of(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
