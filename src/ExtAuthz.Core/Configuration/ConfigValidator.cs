namespace ExtAuthz.Core.Configuration;

/// <summary>
/// Checks a bound configuration and reports every problem at once, one line each, in the form
/// "<c>Section:Key</c>: what is wrong". Each area adds its rules in its own <c>*Rules</c> class.
/// </summary>
public static class ConfigValidator
{
    public static IReadOnlyList<string> Validate(ExtAuthzOptions options)
    {
        var errors = new List<string>();
        ServerRules.Validate(options.Server, errors);
        HeaderRules.Validate(options.Headers, errors);
        PolicyRules.Validate(options, errors);
        LoginRules.Validate(options, errors);
        IdentityRules.Validate(options, errors);
        OperationsRules.Validate(options, errors);
        SelfServiceRules.Validate(options, errors);
        return errors;
    }
}
