using Positions.Api.Exports;

namespace Positions.Api.Tests.Unit;

public class CsvTests
{
    [Fact]
    public void fields_are_quoted_only_when_rfc_4180_needs_it_and_records_end_with_crlf() =>
        Assert.Equal("plain,,\"a,b\",\"say \"\"no\"\"\",\"two\r\nlines\",\"cr\ronly\"\r\n",
            Csv.Record(["plain", null, "a,b", "say \"no\"", "two\r\nlines", "cr\ronly"]));
}
