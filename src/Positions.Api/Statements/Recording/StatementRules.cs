using Positions.Api.Shared;

namespace Positions.Api.Statements.Recording;

/// <summary>
/// Turns what a client sent into a <see cref="Statement"/>, or says field by field what is wrong.
/// Only rules that need no database live here; whether actors and topics exist is checked by the caller.
/// </summary>
public static class StatementRules
{
    public const int MaxActors = 50;
    public const int MaxConditions = 20;
    public const int MaxShortText = 300;
    public const int MaxLongText = 10_000;

    public static Statement? Validate(StatementInput input, DateTimeOffset now, ValidationErrors errors)
    {
        if (input.StatementId is not null)
            errors.Check(Slug.IsValid(input.StatementId), "statementId", Slug.Rule);

        var actors = ValidateActors(input.Actors, errors);
        var speaker = ValidateSpeaker(input.Speaker, errors);

        if (errors.Check(input.Topic is not null, "topic", "is required"))
            errors.Check(Slug.IsValid(input.Topic), "topic", Slug.Rule);

        Stance stance = default;
        if (errors.Check(input.Stance is not null, "stance", "is required"))
            errors.Check(KebabEnum<Stance>.TryParse(input.Stance, out stance), "stance", KebabEnum<Stance>.Expected);

        var conditions = ValidateConditions(input.Conditions, errors);
        CheckText(input.Summary, "summary", MaxLongText, errors);
        CheckText(input.Quote, "quote", MaxLongText, errors);

        DateOrInstant saidAt = default;
        if (errors.Check(input.SaidAt is not null, "saidAt", "is required")
            && errors.Check(DateOrInstant.TryParse(input.SaidAt, out saidAt), "saidAt",
                "must be a date (2025-08-26) or an instant with offset (2025-08-26T10:15:00Z)"))
            errors.Check(saidAt.Start <= now, "saidAt", "lies after the time of recording");

        var precision = DatePrecision.Day;
        if (input.SaidAtPrecision is not null)
            errors.Check(KebabEnum<DatePrecision>.TryParse(input.SaidAtPrecision, out precision), "saidAtPrecision",
                KebabEnum<DatePrecision>.Expected);

        var source = ValidateSource(input.Source, "source", errors);
        var commitment = input.Commitment is null ? null : ValidateCommitment(input.Commitment, errors);

        if (errors.Any) return null;
        return new Statement(actors, speaker!, input.Topic!, stance, conditions, Blank(input.Summary),
            Blank(input.Quote), saidAt, precision, source!, commitment);
    }

    /// <summary>The largest quantity or amount taken: beyond any real pledge, and well inside decimal and numeric.</summary>
    public const decimal MaxNumber = 1_000_000_000_000_000m;

    private static Commitment? ValidateCommitment(CommitmentInput input, ValidationErrors errors)
    {
        CommitmentStage stage = default;
        if (errors.Check(input.Stage is not null, "commitment.stage", "is required"))
            errors.Check(KebabEnum<CommitmentStage>.TryParse(input.Stage, out stage), "commitment.stage", KebabEnum<CommitmentStage>.Expected);
        errors.Check(!string.IsNullOrWhiteSpace(input.Item), "commitment.item", "is required: what is pledged or delivered");
        CheckText(input.Item, "commitment.item", MaxShortText, errors);
        var quantity = Number(input.Quantity, "commitment.quantity", mustBePositive: true, errors);
        Money? value = null;
        if (input.Value is { } money)
        {
            var amount = Number(money.Amount, "commitment.value.amount", mustBePositive: false, errors);
            if (money.Amount is null or { ValueKind: System.Text.Json.JsonValueKind.Null }) errors.Add("commitment.value.amount", "is required");
            var currencyOk = errors.Check(money.Currency is { Length: 3 } c && c.All(char.IsAsciiLetterUpper), "commitment.value.currency",
                "must be an ISO 4217 code in capitals, e.g. USD or EUR");
            if (amount is { } a && currencyOk) value = new Money(a, money.Currency!);
        }
        return errors.Any ? null : new Commitment(stage, input.Item!.Trim(), quantity, value);
    }

    private static decimal? Number(System.Text.Json.JsonElement? element, string field, bool mustBePositive, ValidationErrors errors)
    {
        if (element is not { ValueKind: not System.Text.Json.JsonValueKind.Null } value) return null;
        var number = 0m;
        var ok = value.ValueKind == System.Text.Json.JsonValueKind.Number && value.TryGetDecimal(out number)
                 && number is >= 0 and <= MaxNumber && (!mustBePositive || number > 0);
        errors.Check(ok, field, mustBePositive ? $"must be a number above 0 and at most {MaxNumber}" : $"must be a number from 0 to {MaxNumber}");
        return ok ? number : null;
    }

    /// <param name="field">Where the source sits in the body: <c>source</c>, or empty when it is the whole body.</param>
    public static Source? ValidateSource(SourceInput? input, string field, ValidationErrors errors)
    {
        if (!errors.Check(input is not null, field == "" ? "body" : field, "is required")) return null;
        var prefix = field == "" ? "" : field + ".";

        var outletOk = errors.Check(!string.IsNullOrWhiteSpace(input!.Outlet), $"{prefix}outlet", "is required");
        CheckText(input.Outlet, $"{prefix}outlet", MaxShortText, errors);

        if (input.Url is not null)
            errors.Check(input.Url.Length <= 2_000 && Uri.TryCreate(input.Url, UriKind.Absolute, out var uri)
                    && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps),
                $"{prefix}url", "must be an absolute http or https address of at most 2000 characters");

        DateOrInstant publishedAt = default;
        var publishedOk = input.PublishedAt is null || errors.Check(
            DateOrInstant.TryParse(input.PublishedAt, out publishedAt), $"{prefix}publishedAt",
            "must be a date (2025-08-26) or an instant with offset (2025-08-26T10:15:00Z)");

        Attribution attribution = default;
        var attributionOk = errors.Check(input.Attribution is not null, $"{prefix}attribution", "is required")
            && errors.Check(KebabEnum<Attribution>.TryParse(input.Attribution, out attribution),
                $"{prefix}attribution", KebabEnum<Attribution>.Expected);

        if (!outletOk || !publishedOk || !attributionOk) return null;
        return new Source(input.Outlet!.Trim(), input.Url, input.PublishedAt is null ? null : publishedAt, attribution);
    }

    private static string[] ValidateActors(string[]? actors, ValidationErrors errors)
    {
        if (!errors.Check(actors is { Length: > 0 }, "actors", "must name at least one actor")) return [];
        if (!errors.Check(actors!.Length <= MaxActors, "actors", $"may name at most {MaxActors} actors")) return [];
        for (var i = 0; i < actors.Length; i++)
            errors.Check(Slug.IsValid(actors[i]), $"actors[{i}]", Slug.Rule);
        errors.Check(actors.Distinct(StringComparer.Ordinal).Count() == actors.Length, "actors", "names an actor twice");
        return actors;
    }

    private static Speaker? ValidateSpeaker(SpeakerInput? speaker, ValidationErrors errors)
    {
        if (!errors.Check(speaker is not null, "speaker", "is required")) return null;
        errors.Check(!string.IsNullOrWhiteSpace(speaker!.Name), "speaker.name", "is required");
        CheckText(speaker.Name, "speaker.name", MaxShortText, errors);
        CheckText(speaker.Role, "speaker.role", MaxShortText, errors);
        if (speaker.ActorId is not null)
            errors.Check(Slug.IsValid(speaker.ActorId), "speaker.actorId", Slug.Rule);
        return new Speaker(speaker.ActorId, speaker.Name?.Trim() ?? "", Blank(speaker.Role));
    }

    private static string[] ValidateConditions(string[]? conditions, ValidationErrors errors)
    {
        if (conditions is null) return [];
        if (!errors.Check(conditions.Length <= MaxConditions, "conditions", $"may list at most {MaxConditions}"))
            return [];
        for (var i = 0; i < conditions.Length; i++)
        {
            errors.Check(!string.IsNullOrWhiteSpace(conditions[i]), $"conditions[{i}]", "must not be empty");
            CheckText(conditions[i], $"conditions[{i}]", MaxShortText * 2, errors);
        }
        return conditions.Select(c => c?.Trim() ?? "").ToArray();
    }

    private static void CheckText(string? text, string field, int maxLength, ValidationErrors errors)
    {
        if (text is null) return;
        errors.Check(text.Length <= maxLength, field, $"must be at most {maxLength} characters");
        errors.Check(!text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')), field,
            "must not contain control characters");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
