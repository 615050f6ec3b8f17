using System.Net.Sockets;
using System.Text;
using Positions.Api.Tests.Integration;

namespace Positions.Api.Tests.Resilience;

/// <summary>
/// R8 on the real server (Kestrel), over a raw socket so the test sees exactly what a client would: bodies over the
/// limit are refused with 413 problem+json before they are read in full.
/// </summary>
[Collection(ResilienceCollection.Name)]
public class BodyLimitTests
{
    [Fact]
    public async Task oversized_bodies_are_413_problem_json_whether_declared_or_chunked()
    {
        await using var database = await TestDatabase.StartAsync();
        await using var service = await ServiceProcess.StartAsync(database.ConnectionString);

        // Declares 65 MiB and sends none of it: the answer must come from the declaration alone.
        var declared = await ExchangeAsync(service.Address, "/imports", "application/x-ndjson",
            $"Content-Length: {65L * 1024 * 1024}\r\n", body: []);
        // Chunked, so the length is only known while reading: 1.5 MiB sent against the 1 MiB limit of single writes.
        // The body is one JSON string that never ends, so no parser can refuse it as bad JSON before the limit is hit.
        var content = Encoding.ASCII.GetBytes("{\"summary\":\"" + new string('a', 1536 * 1024));
        var chunks = content.Chunk(256 * 1024)
            .SelectMany(chunk => Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n").Concat(chunk).Concat("\r\n"u8.ToArray())).ToArray();
        var chunked = await ExchangeAsync(service.Address, "/statements", "application/json", "Transfer-Encoding: chunked\r\n", chunks);

        foreach (var answer in new[] { declared, chunked })
        {
            Assert.StartsWith("HTTP/1.1 413", answer);
            Assert.Contains("Content-Type: application/problem+json", answer, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<string> ExchangeAsync(Uri address, string path, string contentType, string lengthHeader, byte[] body)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {PositionsApp.WriterKey}\r\n" +
                   $"Content-Type: {contentType}\r\n{lengthHeader}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        try
        {
            await stream.WriteAsync(body);
        }
        catch (IOException)
        {
            // The server may stop reading and close once it has refused the body: that is the point.
        }
        var buffer = new byte[8192];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
