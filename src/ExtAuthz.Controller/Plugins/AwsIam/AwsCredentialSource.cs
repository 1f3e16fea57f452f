using System.Globalization;
using System.Xml.Linq;

namespace ExtAuthz.Controller.Plugins.AwsIam;

/// <summary>
/// The controller's own AWS credentials, the standard way: an IRSA web identity (<c>AWS_ROLE_ARN</c> and
/// <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>, exchanged with STS <c>AssumeRoleWithWebIdentity</c>, which needs no signature,
/// and cached until five minutes before they expire), else static keys (<c>AWS_ACCESS_KEY_ID</c>,
/// <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>).
/// </summary>
internal sealed class AwsCredentialSource
{
    private readonly HttpClient _http;
    private readonly Uri _sts;
    private readonly Func<string, string?> _env;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (AwsCredentials Credentials, DateTimeOffset Expires)? _current;

    public AwsCredentialSource(HttpClient http, Uri sts, Func<string, string?> env, TimeProvider time)
    {
        _http = http;
        _sts = sts;
        _env = env;
        _time = time;
    }

    public async Task<AwsCredentials> GetAsync(CancellationToken cancellationToken)
    {
        if (_env("AWS_ROLE_ARN") is not { Length: > 0 } role || _env("AWS_WEB_IDENTITY_TOKEN_FILE") is not { Length: > 0 } tokenFile)
        {
            return _env("AWS_ACCESS_KEY_ID") is { Length: > 0 } key && _env("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret
                ? new AwsCredentials(key, secret, _env("AWS_SESSION_TOKEN"))
                : throw new AwsIamException("NoCredentials", "set AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE (IRSA) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } current && current.Expires > _time.GetUtcNow().AddMinutes(5))
            {
                return current.Credentials;
            }

            var token = await File.ReadAllTextAsync(tokenFile, cancellationToken);
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Action"] = "AssumeRoleWithWebIdentity",
                ["Version"] = "2011-06-15",
                ["RoleArn"] = role,
                ["RoleSessionName"] = "extauthz-profile-controller",
                ["WebIdentityToken"] = token.Trim(),
            });
            using var response = await _http.PostAsync(_sts, form, cancellationToken);
            var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            string? Field(string name) => xml.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            if (!response.IsSuccessStatusCode || Field("AccessKeyId") is not { } id || Field("SecretAccessKey") is not { } secretKey)
            {
                throw new AwsIamException(Field("Code") ?? "StsFailed", Field("Message") ?? $"HTTP {(int)response.StatusCode}");
            }

            var credentials = new AwsCredentials(id, secretKey, Field("SessionToken"));
            var expires = DateTimeOffset.TryParse(Field("Expiration"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e)
                ? e
                : _time.GetUtcNow().AddMinutes(15);
            _current = (credentials, expires);
            return credentials;
        }
        finally
        {
            _refresh.Release();
        }
    }
}
