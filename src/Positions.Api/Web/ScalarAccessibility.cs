namespace Positions.Api.Web;

/// <summary>
/// What Scalar's API reference needs to pass axe like the other pages: a document language, and theme colours that
/// reach 4.5:1 against its light backgrounds (its own greys, method colours and syntax colours fall short).
/// </summary>
public static class ScalarAccessibility
{
    public const string HeadContent = "<script>document.documentElement.lang = 'en';</script>";

    public const string Css = """
        .light-mode {
          --scalar-color-2: #3d3d3d;
          --scalar-color-3: #545454;
          --scalar-color-green: #0a6b2c;
          --scalar-color-blue: #0b57b0;
          --scalar-color-orange: #9a4500;
          --scalar-color-red: #b1172c;
          --scalar-color-purple: #6a32b0;
          --scalar-color-yellow: #775a00;
          --scalar-color-accent: #0b57b0;
        }
        """;
}
