using Positions.Api.Shared;

namespace Positions.Api.Tests.Unit;

public class DateOrInstantTests
{
    [Fact]
    public void a_date_starts_at_midnight_and_ends_at_its_last_microsecond()
    {
        Assert.True(DateOrInstant.TryParse("2025-06-30", out var date));

        Assert.Equal(new DateTimeOffset(2025, 6, 30, 0, 0, 0, TimeSpan.Zero), date.Start);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-10), date.EndInclusive);
        Assert.Equal("2025-06-30", date.ToString());
    }

    [Fact]
    public void an_instant_is_kept_in_utc_at_microsecond_precision()
    {
        Assert.True(DateOrInstant.TryParse("2025-08-26T12:15:00.1234567+02:00", out var instant));

        Assert.False(instant.IsDate);
        Assert.Equal(instant.Start, instant.EndInclusive);
        Assert.Equal("2025-08-26T10:15:00.123456Z", instant.ToString());
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2025-13-01")]
    [InlineData("2025-02-30")]
    [InlineData("2025-08-26T10:15:00")]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    public void text_that_is_not_a_date_or_an_instant_with_offset_does_not_parse(string text) =>
        Assert.False(DateOrInstant.TryParse(text, out _));
}
