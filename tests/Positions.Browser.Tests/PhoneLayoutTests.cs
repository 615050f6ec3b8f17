using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Positions.Browser.Tests;

/// <summary>
/// Every page on a 390 px wide phone: nothing makes the page itself scroll sideways (a wide table may scroll inside its
/// own box), and on the timeline the fields stay in their card and the axis labels are whole.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneLayoutTests(BrowserApp app)
{
    // documentElement.clientWidth is innerWidth less a classic vertical scrollbar, where Chromium draws one. Comparing
    // with it rather than innerWidth alone also catches an overflow narrower than that scrollbar.
    private const string MeasureWidth = """
        () => {
          const doc = document.documentElement;
          const edge = doc.clientWidth;
          const scrolls = el => [...ancestors(el)].some(a => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(a).overflowX));
          function* ancestors(el) { for (let a = el.parentElement; a && a !== doc && a !== document.body; a = a.parentElement) yield a; }
          const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + [...el.classList].map(c => "." + c).join("");
          // Where each overflow starts: an element past the edge whose parent is not, outside any box that scrolls it
          // (fixed elements, such as a toast container parked off-screen, do not widen the page).
          const offenders = [...document.body.querySelectorAll("*")]
            .filter(el => el.getBoundingClientRect().right > edge && !(el.parentElement.getBoundingClientRect().right > edge) && !scrolls(el)
              && getComputedStyle(el).position !== "fixed")
            .slice(0, 10).map(el => `${name(el)} right=${Math.round(el.getBoundingClientRect().right)}`);
          return { scrollWidth: doc.scrollWidth, clientWidth: edge, innerWidth: window.innerWidth, offenders };
        }
        """;

    [Theory]
    [MemberData(nameof(SitePage.AllNames), MemberType = typeof(SitePage))]
    public async Task every_page_fits_a_phone_without_horizontal_scroll(string name)
    {
        await using var session = await Screens.OpenAsync(app, "phone");
        await SitePage.OpenAsync(session.Page, SitePage.Named(name));

        var measured = await session.Page.EvaluateAsync<JsonElement>(MeasureWidth);
        var width = measured.Deserialize<Width>(JsonSerializerOptions.Web)!;
        TestContext.Current.SendDiagnosticMessage($"{name} at {Screens.PhoneWidth} px: {measured}");
        Console.WriteLine($"{name} at {Screens.PhoneWidth} px: {measured}");

        Assert.Equal(Screens.PhoneWidth, width.InnerWidth);
        Assert.True(width.ScrollWidth <= width.ClientWidth && width.ScrollWidth <= width.InnerWidth,
            $"{name}: scrollWidth {width.ScrollWidth} > clientWidth {width.ClientWidth} (innerWidth {width.InnerWidth}); "
            + $"sticking out: {string.Join(", ", width.Offenders)}");
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task on_a_phone_the_timeline_keeps_its_date_fields_in_their_card_and_its_axis_labels_whole()
    {
        await using var session = await Screens.OpenAsync(app, "phone");
        var page = session.Page;
        await SitePage.OpenAsync(page, SitePage.Named("timeline"));

        var card = (await page.Locator("form.controls").BoundingBoxAsync())!;
        foreach (var field in await page.Locator("form.controls input").AllAsync())
        {
            var box = (await field.BoundingBoxAsync())!;
            var id = await field.GetAttributeAsync("id");
            Assert.True(box.X >= card.X && box.X + box.Width <= card.X + card.Width,
                $"#{id} spans x {box.X:0.#}–{box.X + box.Width:0.#}, its card {card.X:0.#}–{card.X + card.Width:0.#}");
        }

        // Plot names its axis groups (data-mark, see chart.js); each y label must lie wholly on the screen, not cut off at its left edge.
        var labels = page.Locator("[data-mark='y-axis tick label'] text");
        Assert.Equal(5, await labels.CountAsync());
        foreach (var label in await labels.AllAsync())
        {
            var box = (await label.BoundingBoxAsync())!;
            var text = await label.TextContentAsync();
            Assert.True(box.X >= 0 && box.X + box.Width <= Screens.PhoneWidth,
                $"y label '{text}' spans x {box.X:0.#}–{box.X + box.Width:0.#} on a {Screens.PhoneWidth} px screen");
        }
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task on_a_phone_a_table_reflows_into_one_card_a_row_and_stays_a_table_for_screen_readers()
    {
        await using var session = await Screens.OpenAsync(app, "phone");
        var page = session.Page;
        await SitePage.OpenAsync(page, SitePage.Named("timeline"));

        var box = (await page.Locator("#table").BoundingBoxAsync())!;
        var table = (await page.Locator("#table table").BoundingBoxAsync())!;
        Assert.True(table.Width <= box.Width, $"table {table.Width:0.#} px wide in a {box.Width:0.#} px box");
        // Stacked: the speaker sits below the stance in the same row, not beside it.
        var first = page.Locator("#table tbody tr").First;
        var stance = (await first.Locator("td[data-label='Stance']").BoundingBoxAsync())!;
        var speaker = (await first.Locator("td[data-label='Speaker']").BoundingBoxAsync())!;
        Assert.True(speaker.Y >= stance.Y + stance.Height, $"speaker at y {speaker.Y:0.#}, stance ends at {stance.Y + stance.Height:0.#}");

        var grid = page.GetByRole(AriaRole.Table, new() { Name = "Statements by United States on Postwar security guarantees for Ukraine, as shown in the chart" });
        await Expect(grid.GetByRole(AriaRole.Columnheader)).ToHaveCountAsync(8);
        await Expect(grid.GetByRole(AriaRole.Rowheader, new() { Name = "2025", Exact = true })).ToHaveCountAsync(1);
        // The "Stance:" shown before each value is for the eye; a listener hears the column header instead.
        await Expect(grid.GetByRole(AriaRole.Cell, new() { Name = "Strongly opposes", Exact = true })).ToHaveCountAsync(1);
        Assert.Empty(session.Errors);
    }

    private sealed record Width(int ScrollWidth, int ClientWidth, int InnerWidth, string[] Offenders);
}
