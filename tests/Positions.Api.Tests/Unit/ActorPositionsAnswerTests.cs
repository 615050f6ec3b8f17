using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Positions.Api.Positions;
using Positions.Api.Shared;
using Positions.Api.Statements;

namespace Positions.Api.Tests.Unit;

public class ActorPositionsAnswerTests
{
    [Fact]
    public async Task the_answer_written_around_serialized_positions_is_the_record_serialized_whole()
    {
        var since = DateOrInstant.FromDate(new DateOnly(2025, 8, 19));
        var stated = DateOrInstant.FromInstant(new DateTimeOffset(2025, 8, 26, 10, 15, 0, 123, TimeSpan.Zero));
        Position[] positions =
        [
            new("ukraine-postwar-security-guarantees", Stance.Supports, 1, ["Europe's \"coalition\" commits troops", "l'OTAN <d'abord> & ü"],
                since, stated, "ft-2025-08-26-us-will-coordinate",
                new PreviousRun(Stance.StronglyOpposes, -2, DateOrInstant.FromDate(new DateOnly(2025, 2, 12)), "ruled-out", false, Attribution.OnRecord),
                new LastShift(ShiftKind.FullFlop, since, Stance.StronglyOpposes, Stance.Supports, true, Attribution.AnonymousOfficials),
                true, Attribution.AnonymousOfficials),
            new("another-topic", Stance.Neutral, 0, [], since, since, "only-one", null, null, false, Attribution.Spokesperson),
        ];
        var time = new TimeQuery(new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990), stated.Start);
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        await new ActorPositionsAnswer("us", time, ActorPositionsAnswer.Serialize(positions)).ExecuteAsync(context);

        var expected = JsonSerializer.Serialize(new ActorPositions("us", time.AsOfText, time.KnownAtText, positions), PositionsJson.Options);
        Assert.Equal(expected, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
    }
}
