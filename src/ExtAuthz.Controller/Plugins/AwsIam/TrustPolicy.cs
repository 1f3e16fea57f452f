using System.Text.Json;
using System.Text.Json.Nodes;
using ExtAuthz.Controller.Cache;

namespace ExtAuthz.Controller.Plugins.AwsIam;

/// <summary>
/// Edits an IAM role's trust policy for IRSA, touching only the one statement that trusts our cluster's OIDC
/// provider with <c>sts:AssumeRoleWithWebIdentity</c>: its <c>StringEquals["&lt;issuer&gt;:sub"]</c> gains or loses one
/// subject. Every other statement, <c>Sid</c>, operator and condition key stays as it was. A statement left with no
/// subject is removed whole (an <c>aud</c>-only condition would trust every service account of the cluster).
/// </summary>
internal static class TrustPolicy
{
    public const string Action = "sts:AssumeRoleWithWebIdentity";

    /// <summary>Adds <paramref name="subject"/>; false when it was already there.</summary>
    public static bool Add(JsonObject policy, string providerArn, string subject)
    {
        var issuer = Issuer(providerArn);
        var statements = Statements(policy);
        if (Find(statements, providerArn) is { } statement)
        {
            var equals = Condition(statement);
            var subjects = Subjects(equals, issuer);
            if (subjects.Contains(subject))
            {
                return false;
            }

            subjects.Add(subject);
            equals[$"{issuer}:sub"] = subjects.Count == 1 ? subjects[0] : new JsonArray([.. subjects.Select(s => (JsonNode?)s)]);
            return true;
        }

        statements.Add(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Federated"] = providerArn },
            ["Action"] = Action,
            ["Condition"] = new JsonObject
            {
                ["StringEquals"] = new JsonObject { [$"{issuer}:sub"] = subject, [$"{issuer}:aud"] = "sts.amazonaws.com" },
            },
        });
        return true;
    }

    /// <summary>Removes <paramref name="subject"/>; false when it was not there.</summary>
    public static bool Remove(JsonObject policy, string providerArn, string subject)
    {
        var issuer = Issuer(providerArn);
        var statements = Statements(policy);
        if (Find(statements, providerArn) is not { } statement)
        {
            return false;
        }

        var equals = Condition(statement);
        var subjects = Subjects(equals, issuer);
        if (!subjects.Remove(subject))
        {
            return false;
        }

        if (subjects.Count == 0)
        {
            statements.Remove(statement);
        }
        else
        {
            equals[$"{issuer}:sub"] = subjects.Count == 1 ? subjects[0] : new JsonArray([.. subjects.Select(s => (JsonNode?)s)]);
        }

        return true;
    }

    /// <summary>The provider ARN of the first web-identity statement, for roles whose provider is not configured.</summary>
    public static string? FirstProvider(JsonObject policy) =>
        Statements(policy).OfType<JsonObject>().Where(HasAction).Select(s => Meta.Str(s["Principal"]?["Federated"])).FirstOrDefault(p => p is not null);

    /// <summary>The issuer's host and path: what follows <c>oidc-provider/</c> in the provider ARN.</summary>
    public static string Issuer(string providerArn) => providerArn[(providerArn.IndexOf("oidc-provider/", StringComparison.Ordinal) + "oidc-provider/".Length)..];

    private static JsonObject? Find(JsonArray statements, string providerArn) =>
        statements.OfType<JsonObject>().FirstOrDefault(s => Meta.Str(s["Effect"]) == "Allow" && HasAction(s)
            && Meta.Str(s["Principal"]?["Federated"]) == providerArn);

    private static bool HasAction(JsonObject statement) => statement["Action"] switch
    {
        JsonArray list => list.Any(a => Meta.Str(a) == Action),
        var one => Meta.Str(one) == Action,
    };

    private static JsonArray Statements(JsonObject policy)
    {
        switch (policy["Statement"])
        {
            case JsonArray list:
                return list;
            case JsonObject single:
                // A lone statement may be written as an object; make it a list so it can grow.
                policy.Remove("Statement");
                var wrapped = new JsonArray(single);
                policy["Statement"] = wrapped;
                return wrapped;
            default:
                var created = new JsonArray();
                policy["Statement"] = created;
                return created;
        }
    }

    private static JsonObject Condition(JsonObject statement)
    {
        if (statement["Condition"] is not JsonObject condition)
        {
            condition = [];
            statement["Condition"] = condition;
        }

        if (condition["StringEquals"] is not JsonObject equals)
        {
            equals = [];
            condition["StringEquals"] = equals;
        }

        return equals;
    }

    private static List<string> Subjects(JsonObject equals, string issuer) => equals[$"{issuer}:sub"] switch
    {
        JsonArray list => [.. list.Select(Meta.Str).OfType<string>()],
        JsonValue one when one.GetValueKind() == JsonValueKind.String => [one.GetValue<string>()],
        _ => [],
    };
}
