using Positions.Api.Shared;
using Positions.Api.Statements;
using Positions.Api.Statements.Recording;

namespace Positions.Api.Tests.Unit;

public class StatementRulesTests
{
    private static readonly DateTimeOffset Now = new(2025, 9, 1, 12, 0, 0, TimeSpan.Zero);

    private static StatementInput Valid() => new(
        "ft-1", ["us"], new SpeakerInput("donald-trump", "Donald Trump", "President"), "guarantees", "supports",
        ["Europe sends troops"], "summary", null, "2025-08-19", "week",
        new SourceInput("Financial Times", "https://www.ft.com/x", "2025-08-26", "anonymous-officials"));

    [Fact]
    public void a_complete_body_becomes_a_statement()
    {
        var errors = new ValidationErrors();

        var statement = StatementRules.Validate(Valid(), Now, errors);

        Assert.False(errors.Any);
        Assert.Equal(Stance.Supports, statement!.Stance);
        Assert.Equal(DatePrecision.Week, statement.SaidAtPrecision);
        Assert.Equal(Attribution.AnonymousOfficials, statement.Source.Attribution);
    }

    [Fact]
    public void said_at_after_the_time_of_recording_is_refused()
    {
        var errors = new ValidationErrors();

        StatementRules.Validate(Valid() with { SaidAt = "2025-09-02" }, Now, errors);

        Assert.Contains("saidAt", errors.ToDictionary().Keys);
    }

    [Fact]
    public void every_bad_field_is_named()
    {
        var errors = new ValidationErrors();
        var input = new StatementInput("Bad Id", ["US", "us", "us"], null, null, "maybe", null, null, null, "soon", "decade",
            new SourceInput(null, "ftp://x", "then", "gossip"));

        Assert.Null(StatementRules.Validate(input, Now, errors));

        Assert.Equal(
            ["actors", "actors[0]", "saidAt", "saidAtPrecision", "source.attribution", "source.outlet", "source.publishedAt",
             "source.url", "speaker", "stance", "statementId", "topic"],
            errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void same_words_compare_equal_whatever_the_array_instances()
    {
        var a = StatementRules.Validate(Valid(), Now, new ValidationErrors())!;
        var b = StatementRules.Validate(Valid(), Now, new ValidationErrors())!;

        Assert.True(a.SaysTheSameAs(b));
        Assert.False(a.SaysTheSameAs(b with { Conditions = ["other"] }));
    }
}
