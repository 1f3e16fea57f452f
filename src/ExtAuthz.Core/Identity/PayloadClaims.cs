using System.Text.Json;

namespace ExtAuthz.Core.Identity;

/// <summary>Collects the claims validation needs while <see cref="JwtReader"/> walks the payload once.</summary>
internal sealed class PayloadClaims
{
    private readonly string _userClaim;
    private readonly string _groupsClaim;
    private string? _issuer;
    private List<string>? _audiences;
    private double? _exp;
    private double? _nbf;
    private double? _iat;
    private string? _user;
    private List<string>? _groups;
    private string? _jti;

    public PayloadClaims(string userClaim, string groupsClaim)
    {
        _userClaim = userClaim;
        _groupsClaim = groupsClaim;
    }

    /// <summary>Reads the value of claim <paramref name="name"/>; returns a failure detail or null.</summary>
    public string? Read(string name, ref Utf8JsonReader reader)
    {
        if (name == _userClaim)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return $"{name} not a string";
            }

            _user = reader.GetString();
            return null;
        }

        if (name == _groupsClaim)
        {
            return ReadGroups(ref reader);
        }

        switch (name)
        {
            case "iss":
                if (reader.TokenType != JsonTokenType.String)
                {
                    return "iss not a string";
                }

                _issuer = reader.GetString();
                return null;
            case "aud":
                return ReadAudiences(ref reader);
            case "exp":
                return ReadTime(ref reader, name, out _exp);
            case "nbf":
                return ReadTime(ref reader, name, out _nbf);
            case "iat":
                return ReadTime(ref reader, name, out _iat);
            case "jti":
                _jti = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
                return null;
            case "email_verified":
                return ReadEmailVerified(ref reader);
            default:
                reader.Skip();
                return null;
        }
    }

    public JwtContents ToContents(string alg, string? kid) => new()
    {
        Algorithm = alg,
        KeyId = kid,
        Issuer = _issuer,
        Audiences = (IReadOnlyList<string>?)_audiences ?? [],
        ExpiresAt = _exp,
        NotBefore = _nbf,
        IssuedAt = _iat,
        User = _user,
        Groups = (IReadOnlyList<string>?)_groups ?? [],
        TokenId = _jti,
    };

    private string? ReadAudiences(ref Utf8JsonReader reader)
    {
        _audiences = [];
        if (reader.TokenType == JsonTokenType.String)
        {
            _audiences.Add(reader.GetString()!);
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return "aud not a string or array";
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return "aud not a string or array";
            }

            _audiences.Add(reader.GetString()!);
        }

        return null;
    }

    /// <summary>Groups: an array of strings (or one string). A value that would split or break the groups header is dropped.</summary>
    private string? ReadGroups(ref Utf8JsonReader reader)
    {
        _groups = [];
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            AddGroup(reader.GetString()!);
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return $"{_groupsClaim} not an array of strings";
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return $"{_groupsClaim} not an array of strings";
            }

            AddGroup(reader.GetString()!);
        }

        return null;
    }

    private void AddGroup(string group)
    {
        if (group.Length > 0 && !group.Contains(',') && !group.Any(char.IsControl))
        {
            _groups!.Add(group);
        }
    }

    private static string? ReadTime(ref Utf8JsonReader reader, string name, out double? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds) || !double.IsFinite(seconds))
        {
            return $"{name} not a number";
        }

        value = seconds;
        return null;
    }

    /// <summary>Only an explicit true (or the string "true" some providers send) passes; absent is fine.</summary>
    private static string? ReadEmailVerified(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return null;
            case JsonTokenType.False:
                return "email_verified false";
            case JsonTokenType.String when reader.ValueTextEquals("true"u8):
                return null;
            case JsonTokenType.String when reader.ValueTextEquals("false"u8):
                return "email_verified false";
            default:
                reader.Skip();
                return "email_verified not a boolean";
        }
    }
}
