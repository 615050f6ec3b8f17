using System.Text;
using Npgsql;

namespace Positions.Api.Webhooks;

/// <summary>
/// Makes one attempt at a delivery and records it: begun before the request (so an attempt cut short by a crash still
/// shows), finished with the status or the error. Redirects are never followed (a receiver could otherwise point the
/// service at any host), and the host is checked against <see cref="WebhookSettings.AllowedHosts"/> before every attempt.
/// </summary>
public sealed class WebhookSender(NpgsqlDataSource database, WebhookSettings settings, ILogger<WebhookSender> logger)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectTimeout = ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2), // DNS changes reach us
    }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>One attempt; when the next should come, or null when there is none to make (delivered, given up, gone).</summary>
    public async Task<TimeSpan?> SendAsync(Guid deliveryId, CancellationToken ct)
    {
        if (await PendingAsync(deliveryId, ct) is not { } pending) return null; // deleted, delivered or given up meanwhile
        if (await BeginAttemptAsync(deliveryId, ct) is not { } attempt) return null; // deleted just now
        // A host taken off the list since: not sent, and tried again on the same schedule, in case it comes back.
        var url = new Uri(pending.Url);
        var (status, error) = settings.Allows(url)
            ? await PostAsync(deliveryId, pending, ct)
            : (null, $"not sent: host '{url.Authority}' is not (or no longer) in {WebhookSettings.Section}:AllowedHosts");
        // Attempts are counted in the database, so one cut short by a crash counts too.
        var retryAfter = WebhookSettings.RetryAfterFailure(attempt);
        var ending = error is null ? Ending.Delivered : retryAfter is null ? Ending.GiveUp : Ending.TryAgain;
        await FinishAttemptAsync(deliveryId, attempt, status, error, ending, ct);
        if (ending == Ending.Delivered) return null;
        logger.LogInformation("Webhook delivery {Delivery} attempt {Attempt} failed ({Error}); {Next}", deliveryId, attempt, error,
            retryAfter is { } after ? $"trying again in {after}" : "given up");
        return retryAfter;
    }

    private async Task<(int? Status, string? Error)> PostAsync(Guid deliveryId, Pending pending, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(pending.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, pending.Url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") { CharSet = "utf-8" } } },
        };
        request.Headers.Add(WebhookSignature.DeliveryHeader, deliveryId.ToString());
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Of(pending.Secret, body));
        request.Headers.UserAgent.ParseAdd("Positions-Webhooks/1");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => (status, null),
                >= 300 and < 400 => (status, $"redirect to {response.Headers.Location?.ToString() ?? "nowhere"} not followed"),
                _ => (status, $"answered {status} {response.ReasonPhrase}"),
            };
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            return (null, e.InnerException is TimeoutException && !timeout.IsCancellationRequested
                ? $"could not connect within {ConnectTimeout.TotalSeconds:0} s"
                : $"no answer within {settings.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return (null, e.HttpRequestError is HttpRequestError.Unknown ? e.Message : $"{e.HttpRequestError}: {e.Message}");
        }
    }

    private enum Ending { TryAgain, Delivered, GiveUp }

    private sealed record Pending(string Url, string Secret, string Body);

    private async Task<Pending?> PendingAsync(Guid deliveryId, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            select s.url, s.secret, d.body from {WebhookTables.Deliveries} d join {WebhookTables.Subscriptions} s on s.id = d.subscription_id
            where d.id = $1 and d.delivered_at is null and d.gave_up_at is null
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new Pending(reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>The attempt's number, or null when the delivery is gone (its subscription deleted).</summary>
    private async Task<int?> BeginAttemptAsync(Guid deliveryId, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            insert into {WebhookTables.Attempts} (delivery_id, number, started_at)
            select d.id, coalesce((select max(number) from {WebhookTables.Attempts} where delivery_id = d.id), 0) + 1, clock_timestamp()
            from {WebhookTables.Deliveries} d where d.id = $1
            returning number
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        return await command.ExecuteScalarAsync(ct) as int?;
    }

    private async Task FinishAttemptAsync(Guid deliveryId, int number, int? status, string? error, Ending ending, CancellationToken ct)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            update {WebhookTables.Attempts} set finished_at = clock_timestamp(), status = $3, error = $4
            where delivery_id = $1 and number = $2
            """)
        {
            Parameters =
            {
                new() { Value = deliveryId }, new() { Value = number },
                new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer },
                new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
            },
        });
        if (ending != Ending.TryAgain)
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                $"update {WebhookTables.Deliveries} set {(ending == Ending.Delivered ? "delivered_at" : "gave_up_at")} = clock_timestamp() where id = $1")
                { Parameters = { new() { Value = deliveryId } } });
        await batch.ExecuteNonQueryAsync(ct);
    }
}
