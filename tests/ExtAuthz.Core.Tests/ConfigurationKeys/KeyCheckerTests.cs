using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Configuration.Keys;

namespace ExtAuthz.Core.Tests.ConfigurationKeys;

/// <summary>The known keys come from the options classes; a key or value that does not fit is named with what was expected.</summary>
public sealed class KeyCheckerTests
{
    private static readonly KeyChecker s_options = new(KeyTree.Of(typeof(ExtAuthzOptions)));
    private static readonly KeyChecker s_sample = new(KeyTree.Of(typeof(SampleOptions)));

    [Theory]
    [InlineData("Policy:Kubernetes:PageSize", "100")]
    [InlineData("Policy:ServiceCallers:0:Methods:1", "GET")]
    [InlineData("Policy:Roles:View", "kubeflow-view")]
    [InlineData("Identity:Issuers:12:Audiences:0", "kf")]
    [InlineData("Identity:Issuers:0:RequireHttps", "")]
    [InlineData("Identity:DevIssuer:MaxTokenLifetime", "1.00:00:00")]
    [InlineData("policy:dryrun", "TRUE")]
    [InlineData("Server:CheckReader", "generated")]
    [InlineData("Audit:AllowSampleRate", "0.5")]
    [InlineData("Identity", null)]
    public void Check_KnownKeyAndReadableValue_IsFine(string key, string? value) =>
        Assert.Null(s_options.Check(key, value));

    [Theory]
    [InlineData("Polcy:DryRun", "true", "Polcy:DryRun: unknown section 'Polcy'; did you mean Policy:DryRun?")]
    [InlineData("Polcy:DryRn", "true", "Polcy:DryRn: unknown section 'Polcy'; did you mean Policy:DryRun?")]
    [InlineData("Policy:Roles:Admn", "x", "Policy:Roles:Admn: unknown key 'Admn'; did you mean Policy:Roles:Admin?")]
    [InlineData("Identity:Issuers:0:ClockSkew", "00:00:05", "Identity:Issuers:0:ClockSkew: unknown key 'ClockSkew'; did you mean Identity:ClockSkew?")]
    [InlineData("Policy:ClockSkew", "00:00:05", "Policy:ClockSkew: unknown key 'ClockSkew'; did you mean Identity:ClockSkew?")]
    [InlineData("Revocation:Bogus", "1", "Revocation:Bogus: unknown key 'Bogus'; Revocation has MaxTokenLifetime")]
    [InlineData("Identity:ClockSkew", "banana", "Identity:ClockSkew: 'banana' is not a duration [d.]hh:mm:ss[.fff] (00:00:30 is 30 seconds, 1.00:00:00 a day)")]
    [InlineData("Identity:ClockSkew", "30", "Identity:ClockSkew: '30' would mean 30 days; expected a duration [d.]hh:mm:ss[.fff] (00:00:30 is 30 seconds, 1.00:00:00 a day)")]
    [InlineData("Identity:Issuers:0:RequireHttps", "maybe", "Identity:Issuers:0:RequireHttps: 'maybe' is not true or false")]
    [InlineData("Server:GrpcPort", "abc", "Server:GrpcPort: 'abc' is not a whole number from -2147483648 to 2147483647")]
    [InlineData("Identity:TokenCacheMaxBytes", "64MB", "Identity:TokenCacheMaxBytes: '64MB' is not a whole number from -9223372036854775808 to 9223372036854775807")]
    [InlineData("Audit:AllowSampleRate", "1%", "Audit:AllowSampleRate: '1%' is not a number, e.g. 0.01")]
    [InlineData("Server:CheckReader", "Fast", "Server:CheckReader: 'Fast' is not one of Lean, Generated")]
    [InlineData("Server:CheckReader", "7", "Server:CheckReader: '7' is not one of Lean, Generated")]
    [InlineData("Policy:PublicPaths", "/x/", "Policy:PublicPaths: is a list; give its items as Policy:PublicPaths:0, Policy:PublicPaths:1, …")]
    [InlineData("Policy:PublicPaths:first", "/x/", "Policy:PublicPaths:first: the items of Policy:PublicPaths are numbered 0, 1, 2, …, not 'first'")]
    [InlineData("Policy:DryRun:Now", "true", "Policy:DryRun:Now: Policy:DryRun is a single value, not a section")]
    [InlineData("Identity:ClockSkew", "", "Identity:ClockSkew: is empty; expected a duration [d.]hh:mm:ss[.fff] (00:00:30 is 30 seconds, 1.00:00:00 a day)")]
    [InlineData("Revocation", "1", "Revocation: is a section, not a value; its keys are MaxTokenLifetime")]
    public void Check_Mistake_NamesTheFullKeyAndWhatWasExpected(string key, string value, string expected) =>
        Assert.Equal(expected, s_options.Check(key, value)?.Message);

    [Theory]
    [InlineData("Polcy:DryRun", true, true)]
    [InlineData("Frobnicate:X", true, false)]
    [InlineData("Policy:Frobnicate", false, false)]
    public void Check_UnknownName_SaysWhetherItIsASectionAndWhetherSomethingIsClose(string key, bool section, bool suggestion)
    {
        var problem = s_options.Check(key, "1");

        Assert.NotNull(problem);
        Assert.Equal(section, problem.Value.IsUnknownSection);
        Assert.Equal(suggestion, problem.Value.HasSuggestion);
    }

    [Theory]
    [InlineData("Added:Limit", "3", null)]
    [InlineData("Added:Items:2:Name", "x", null)]
    [InlineData("Added:Ports:0", "80", null)]
    [InlineData("Added:Quotas:any-name", "5", null)]
    [InlineData("Added:Quotas:any-name", "five", "Added:Quotas:any-name: 'five' is not a whole number from -2147483648 to 2147483647")]
    [InlineData("Added:Computed", "1", "Added:Computed: unknown key 'Computed'; Added has Limit, Items, Ports, Quotas")]
    [InlineData("Added:Limt", "1", "Added:Limt: unknown key 'Limt'; did you mean Added:Limit?")]
    public void Check_OptionsClassAddedLater_IsKnownWithoutAnyListOfNames(string key, string value, string? expected) =>
        Assert.Equal(expected, s_sample.Check(key, value)?.Message);

    private sealed class SampleOptions
    {
        public AddedOptions Added { get; set; } = new();
    }

    private sealed class AddedOptions
    {
        public int Limit { get; set; }

        public List<ItemOptions> Items { get; set; } = [];

        public int[] Ports { get; set; } = [];

        public Dictionary<string, int> Quotas { get; } = [];

        /// <summary>Read-only: never bound, so not a key.</summary>
        public int Computed => Limit * 2;

        public static int Shared { get; set; }
    }

    private sealed class ItemOptions
    {
        public string Name { get; set; } = string.Empty;
    }
}
