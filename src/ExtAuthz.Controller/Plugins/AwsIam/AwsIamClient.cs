using System.Text;
using System.Xml.Linq;

namespace ExtAuthz.Controller.Plugins.AwsIam;

/// <summary>
/// The two IAM Query-API calls the IRSA plugin needs (version 2010-05-08, form-encoded POST, SigV4 for service
/// <c>iam</c> in us-east-1, XML answers): <c>GetRole</c>, whose <c>AssumeRolePolicyDocument</c> comes URL-encoded, and
/// <c>UpdateAssumeRolePolicy</c>. Errors become <see cref="AwsIamException"/> with AWS's code and message.
/// </summary>
internal sealed class AwsIamClient
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly Func<CancellationToken, Task<AwsCredentials>> _credentials;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public AwsIamClient(HttpClient http, Uri endpoint, Func<CancellationToken, Task<AwsCredentials>> credentials, TimeSpan timeout, TimeProvider time)
    {
        _http = http;
        _endpoint = endpoint;
        _credentials = credentials;
        _timeout = timeout;
        _time = time;
    }

    /// <summary>The role's trust policy document, decoded.</summary>
    public async Task<string> GetTrustPolicyAsync(string roleName, CancellationToken cancellationToken)
    {
        var answer = await CallAsync([("Action", "GetRole"), ("RoleName", roleName)], cancellationToken);
        var encoded = answer.Descendants().FirstOrDefault(e => e.Name.LocalName == "AssumeRolePolicyDocument")?.Value
            ?? throw new AwsIamException("InvalidResponse", "GetRole answered without AssumeRolePolicyDocument");
        return Uri.UnescapeDataString(encoded);
    }

    public Task UpdateTrustPolicyAsync(string roleName, string document, CancellationToken cancellationToken) =>
        CallAsync([("Action", "UpdateAssumeRolePolicy"), ("RoleName", roleName), ("PolicyDocument", document)], cancellationToken);

    private async Task<XDocument> CallAsync(IEnumerable<(string Key, string Value)> parameters, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var body = string.Join('&', parameters.Append((Key: "Version", Value: "2010-05-08")).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        try
        {
            var credentials = await _credentials(linked.Token);
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            SigV4Signer.Sign(request, body, credentials, "us-east-1", "iam", _time.GetUtcNow());
            using var response = await _http.SendAsync(request, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            var xml = XDocument.Parse(text);
            if (!response.IsSuccessStatusCode)
            {
                var error = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                throw new AwsIamException(
                    error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? $"HTTP{(int)response.StatusCode}",
                    error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "");
            }

            return xml;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AwsIamException("RequestTimeout", $"no answer from IAM within {_timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            throw new AwsIamException("Unavailable", ex.Message);
        }
        catch (System.Xml.XmlException ex)
        {
            throw new AwsIamException("InvalidResponse", ex.Message);
        }
    }
}

/// <summary>An IAM call that failed: AWS's error code (<c>AccessDenied</c>, <c>LimitExceeded</c>, …) and message.</summary>
internal sealed class AwsIamException(string code, string message) : Exception($"{code}: {message}")
{
    public string Code { get; } = code;
}
