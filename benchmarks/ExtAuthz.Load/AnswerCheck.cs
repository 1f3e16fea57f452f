using System.Net;
using System.Net.Http.Headers;
using Envoy.Service.Auth.V3;
using ExtAuthz.Cli;
using ExtAuthz.Load.Requests;

namespace ExtAuthz.Load;

/// <summary>
/// Posts one pre-encoded frame — the very bytes h2load will send — over h2c and decodes the answer, because
/// h2load only sees HTTP 200 for every gRPC call, allow or deny.
/// </summary>
internal static class AnswerCheck
{
    /// <param name="Headers">The headers the answer sets: on an allow, those added to the upstream request
    /// (<c>kubeflow-userid</c>…); on a deny, those of the denied response (<c>location</c>, <c>set-cookie</c>…).</param>
    public sealed record Answer(string GrpcStatus, bool Allowed, int HttpStatus, string Reason, string User, IReadOnlyList<(string Name, string Value)> Headers)
    {
        /// <summary>The first value of a header the answer sets, or null.</summary>
        public string? Header(string name) => Headers.Where(h => h.Name == name).Select(h => h.Value).FirstOrDefault();

        /// <summary>The value of the <c>set-cookie</c> that sets <paramref name="cookie"/> (its name=value pair only), or null.</summary>
        public string? SetCookie(string cookie) => Headers
            .Where(h => h.Name == "set-cookie" && h.Value.StartsWith(cookie + "=", StringComparison.Ordinal))
            .Select(h => h.Value.Split(';')[0])
            .FirstOrDefault();
    }

    public static async Task<Answer> SendAsync(int port, byte[] frame)
    {
        var (handler, address) = FixedAuthority.For(new Uri($"http://127.0.0.1:{port}"), IstioCheckRequest.Authority);
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/envoy.service.auth.v3.Authorization/Check"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? values.First()
            : response.Headers.TryGetValues("grpc-status", out var inHeaders) ? inHeaders.First() : "?";
        if (body.Length < 5)
        {
            return new Answer(status, false, 0, "(no message)", "", []);
        }

        var message = CheckResponse.Parser.ParseFrom(body.AsSpan(5));
        var fields = message.DynamicMetadata?.Fields;
        string Field(string name) => fields is not null && fields.TryGetValue(name, out var v) ? v.StringValue : "";
        var allowed = message.Status is null || message.Status.Code == 0;
        var http = allowed ? 200 : (int)(message.DeniedResponse?.Status?.Code ?? 0);
        var set = allowed ? message.OkResponse?.Headers : message.DeniedResponse?.Headers;
        var headers = set?.Select(h => (h.Header.Key, h.Header.Value)).ToArray() ?? [];
        return new Answer(status, allowed, http, Field("reason"), Field("user"), headers);
    }
}
