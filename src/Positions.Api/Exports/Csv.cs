using System.Text;

namespace Positions.Api.Exports;

/// <summary>
/// CSV as RFC 4180 writes it: CRLF after every record, a field in double quotes when it holds a comma, a quote, CR or
/// LF, and a quote inside a quoted field doubled. Text that a spreadsheet would run as a formula is left as it is:
/// this is data for programs, and changing it would change what people said.
/// </summary>
public static class Csv
{
    public const string ContentType = "text/csv; charset=utf-8; header=present";

    public static string Record(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0) return value;
        return new StringBuilder(value.Length + 2).Append('"').Append(value.Replace("\"", "\"\"")).Append('"').ToString();
    }
}
