using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExtAuthz.Controller.Plugins.WorkloadIdentity;

/// <summary>
/// The two IAM REST calls the Workload Identity plugin needs, on a service account resource
/// (<c>projects/{project}/serviceAccounts/{email}</c>): <c>:getIamPolicy</c> and <c>:setIamPolicy</c>, each bounded by a
/// timeout on the injected clock. Errors become <see cref="GcpIamException"/> carrying Google's status and message.
/// </summary>
internal sealed class GcpIamClient
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly IAccessTokenSource _tokens;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public GcpIamClient(HttpClient http, Uri endpoint, IAccessTokenSource tokens, TimeSpan timeout, TimeProvider time)
    {
        _http = http;
        _endpoint = endpoint;
        _tokens = tokens;
        _timeout = timeout;
        _time = time;
    }

    public Task<JsonObject> GetIamPolicyAsync(string resource, CancellationToken cancellationToken) =>
        PostAsync($"v1/{resource}:getIamPolicy", new JsonObject { ["options"] = new JsonObject { ["requestedPolicyVersion"] = 3 } }, cancellationToken);

    /// <summary>Writes the whole policy; its <c>etag</c> makes a concurrent change a 409 (ABORTED).</summary>
    public Task<JsonObject> SetIamPolicyAsync(string resource, JsonObject policy, CancellationToken cancellationToken) =>
        PostAsync($"v1/{resource}:setIamPolicy", new JsonObject { ["policy"] = policy.DeepClone() }, cancellationToken);

    private async Task<JsonObject> PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var token = await _tokens.GetTokenAsync(linked.Token);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_endpoint, path))
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _http.SendAsync(request, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw GcpIamException.From((int)response.StatusCode, text);
            }

            return JsonNode.Parse(text) as JsonObject ?? throw new GcpIamException(0, "INVALID_RESPONSE", "the answer is not a JSON object");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new GcpIamException(0, "DEADLINE_EXCEEDED", $"no answer from IAM within {_timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            throw new GcpIamException(0, "UNAVAILABLE", ex.Message);
        }
        catch (JsonException ex)
        {
            throw new GcpIamException(0, "INVALID_RESPONSE", ex.Message);
        }
    }
}

/// <summary>An IAM call that failed: the HTTP status (0 when none came), Google's status name and message.</summary>
internal sealed class GcpIamException : Exception
{
    public GcpIamException(int httpStatus, string status, string message)
        : base(httpStatus == 0 ? $"{status}: {message}" : $"HTTP {httpStatus} {status}: {message}")
    {
        HttpStatus = httpStatus;
        StatusName = status;
    }

    public int HttpStatus { get; }

    public string StatusName { get; }

    /// <summary>Reads Google's error body <c>{"error":{"code","message","status"}}</c>; anything else is kept short.</summary>
    public static GcpIamException From(int httpStatus, string body)
    {
        try
        {
            if (JsonNode.Parse(body)?["error"] is JsonObject error)
            {
                return new GcpIamException(httpStatus, error["status"]?.GetValue<string>() ?? "UNKNOWN", error["message"]?.GetValue<string>() ?? "");
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
        }

        return new GcpIamException(httpStatus, "UNKNOWN", body.Length > 200 ? body[..200] : body);
    }
}
