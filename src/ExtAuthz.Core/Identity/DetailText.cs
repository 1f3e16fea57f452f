namespace ExtAuthz.Core.Identity;

/// <summary>
/// Makes a value taken from a token (a claim name, an alg) safe to put in a failure detail, which reaches the decision
/// log and dynamic metadata: at most 40 characters, control characters replaced.
/// </summary>
internal static class DetailText
{
    private const int MaxChars = 40;

    public static string Safe(string value)
    {
        if (value.Length <= MaxChars && !value.Any(char.IsControl))
        {
            return value;
        }

        var shown = value.Length > MaxChars ? value[..MaxChars] + "…" : value;
        return string.Create(shown.Length, shown, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });
    }
}
