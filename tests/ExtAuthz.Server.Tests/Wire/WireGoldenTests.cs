using System.Text;
using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Configuration;
using ExtAuthz.Core.Decisions;
using ExtAuthz.Core.Identity;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Testing;
using Google.Protobuf;

namespace ExtAuthz.Server.Tests.Wire;

/// <summary>
/// Bytes assembled from the documented field numbers (reference/envoy-ext-authz.md §1) decode into the right
/// values, and our responses carry the documented tags — independent of the generated classes.
/// </summary>
public sealed class WireGoldenTests
{
    // AttributeContext: source 1, destination 2, request 4. Peer: address 1, principal 4. Address: socket_address 1.
    // SocketAddress: address 2, port_value 3. Request: http 2. HttpRequest: id 1, method 2, headers 3, path 4,
    // host 5, scheme 6, size 9, protocol 10, header_map 13. HeaderMap: headers 1. HeaderValue: key 1, value 2, raw_value 3.
    internal static byte[] IstioRequestBytes()
    {
        var http = new ProtoWriter()
            .String(1, "7203587430592816218")
            .String(2, "GET")
            .MapEntry(3, ":authority", "httpbin.foo:8000")
            .MapEntry(3, ":method", "GET")
            .MapEntry(3, ":path", "/headers?x=1")
            .MapEntry(3, ":scheme", "http")
            .MapEntry(3, "accept", "*/*")
            .MapEntry(3, "user-agent", "curl/8.5.0")
            .MapEntry(3, "authorization", "Bearer eyJhbGciOi.x.y")
            .MapEntry(3, "cookie", "session=abc; theme=dark")
            .MapEntry(3, "x-forwarded-proto", "http")
            .MapEntry(3, "x-request-id", "2c1a2d5e-8f0e-9b7c-a3c1-5d0f2e8a1b44")
            .MapEntry(3, "x-envoy-attempt-count", "1")
            .MapEntry(3, "x-forwarded-client-cert", "By=spiffe://cluster.local/ns/foo/sa/httpbin;Hash=5b1c;Subject=\"\";URI=spiffe://cluster.local/ns/foo/sa/sleep")
            .MapEntry(3, "x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7")
            .MapEntry(3, "x-b3-spanid", "e457b5a2e4d86bd1")
            .MapEntry(3, "x-b3-sampled", "0")
            .String(4, "/headers?x=1")
            .String(5, "httpbin.foo:8000")
            .String(6, "http")
            .UInt(9, 0)
            .String(10, "HTTP/1.1");
        var attributes = new ProtoWriter()
            .Message(1, p => p
                .Message(1, a => a.Message(1, s => s.String(2, "10.244.1.17").UInt(3, 47856)))
                .String(4, "spiffe://cluster.local/ns/foo/sa/sleep"))
            .Message(2, p => p
                .Message(1, a => a.Message(1, s => s.String(2, "10.244.2.9").UInt(3, 8080)))
                .String(4, "spiffe://cluster.local/ns/foo/sa/httpbin"))
            .Message(4, r => r
                .Message(1, t => t.UInt(1, 1_772_360_130).UInt(2, 123_456_000))
                .Message(2, http))
            .Message(11, _ => { })
            .Message(13, _ => { });
        return new ProtoWriter().Message(1, attributes).ToArray();
    }

    [Fact]
    public void CheckRequest_IstioShapedBytes_DecodeIntoTheDocumentedFields()
    {
        var request = CheckRequest.Parser.ParseFrom(IstioRequestBytes());
        var input = new CheckInput(HeaderSlots.Default);

        CheckRequestReader.Read(request, input);

        Assert.True(input.HasHttp);
        Assert.Equal("GET", input.Method);
        Assert.Equal("/headers?x=1", input.Path);
        Assert.Equal("httpbin.foo:8000", input.Host);
        Assert.Equal("HTTP/1.1", input.Protocol);
        Assert.Equal("spiffe://cluster.local/ns/foo/sa/sleep", input.SourcePrincipal);
        Assert.Equal("spiffe://cluster.local/ns/foo/sa/httpbin", input.DestinationPrincipal);
        Assert.Equal("Bearer eyJhbGciOi.x.y", input.GetHeader(HeaderSlots.Authorization));
        Assert.Equal("session=abc; theme=dark", input.GetHeader(HeaderSlots.Cookie));
        Assert.Equal("*/*", input.GetHeader(HeaderSlots.Accept));
        // Trace-context headers are kept only while a tracer listens (TracingTests covers that case).
        Assert.Null(input.GetHeader(HeaderSlots.XB3TraceId));
        Assert.Equal("10.244.1.17", request.Attributes.Source.Address.SocketAddress.Address);
        Assert.Equal(47856u, request.Attributes.Source.Address.SocketAddress.PortValue);
        Assert.Equal(1_772_360_130, request.Attributes.Request.Time.Seconds);
    }

    /// <summary>The raw header_map form (Envoy's encode_raw_headers): raw values, a repeated header, a non-UTF-8 byte.</summary>
    internal static byte[] HeaderMapRequestBytes()
    {
        var http = new ProtoWriter()
            .String(2, "POST")
            .String(4, "/notebook/alice/nb/api/kernels")
            .Message(13, map => map
                .Message(1, h => h.String(1, ":authority").Bytes(3, "kubeflow.example.com"u8.ToArray()))
                .Message(1, h => h.String(1, "authorization").Bytes(3, "Bearer a.b.c"u8.ToArray()))
                .Message(1, h => h.String(1, "cookie").Bytes(3, "a=1"u8.ToArray()))
                .Message(1, h => h.String(1, "cookie").Bytes(3, "b=2"u8.ToArray()))
                .Message(1, h => h.String(1, "accept").Bytes(3, [0x74, 0x65, 0xFF, 0xFE, 0x78])));
        return new ProtoWriter().Message(1, a => a.Message(4, r => r.Message(2, http))).ToArray();
    }

    [Fact]
    public void CheckRequest_HeaderMapForm_ReadsRawValuesAndKeepsDuplicates()
    {
        var request = CheckRequest.Parser.ParseFrom(HeaderMapRequestBytes());
        var input = new CheckInput(HeaderSlots.Default);
        CheckRequestReader.Read(request, input);

        Assert.Equal("POST", input.Method);
        Assert.Equal("kubeflow.example.com", input.Host);
        Assert.Equal("Bearer a.b.c", input.GetHeader(HeaderSlots.Authorization));
        Assert.Equal("a=1,b=2", input.GetHeader(HeaderSlots.Cookie));
        Assert.Equal("te\uFFFD\uFFFDx", input.GetHeader(HeaderSlots.Accept));
    }

    [Fact]
    public void CheckResponse_Deny_CarriesStatusDeniedResponseAndMetadataTags()
    {
        var writer = new CheckResponseWriter(Options());
        var bytes = writer.Write(Decision.Deny(ReasonCode.MissingToken, "no token")).ToByteArray();

        // CheckResponse: status 1, denied_response 2, ok_response 3 (absent), dynamic_metadata 4.
        var fields = ProtoFields.Read(bytes);
        Assert.Equal([1, 2, 4], fields.Select(f => f.Number).Order());

        // google.rpc.Status: code 1 = 16 (UNAUTHENTICATED), message 2.
        var status = ProtoFields.Read(ProtoFields.Single(bytes, 1).Payload);
        Assert.Equal(16ul, status.Single(f => f.Number == 1).Varint);
        Assert.Equal("missing_token", Encoding.UTF8.GetString(status.Single(f => f.Number == 2).Payload));

        // DeniedHttpResponse: status 1 (HttpStatus.code 1 = 401), headers 2, body 3.
        var denied = ProtoFields.Single(bytes, 2).Payload;
        var httpStatus = ProtoFields.Single(ProtoFields.Single(denied, 1).Payload, 1);
        Assert.Equal(401ul, httpStatus.Varint);
        var headers = ProtoFields.Read(denied).Where(f => f.Number == 2).Select(f => HeaderOption(f.Payload)).ToList();
        Assert.Contains(headers, h => h.Key == "www-authenticate" && h.Value == "Bearer realm=\"kubeflow\"" && h.AppendFalse);
        Assert.Contains(headers, h => h.Key == "content-type" && h.Value == "application/json");
        Assert.Equal("{\"error\":\"unauthenticated\",\"reason\":\"missing_token\"}", Encoding.UTF8.GetString(ProtoFields.Single(denied, 3).Payload));
    }

    [Fact]
    public void CheckResponse_AllowWithPrincipal_SetsUserIdWithAppendFalseAndRemovesTheRest()
    {
        var writer = new CheckResponseWriter(Options());
        var principal = new Principal("https://issuer", "alice@example.com", "alice@example.com", ["team-a", "team-b"], DateTimeOffset.MaxValue);
        var bytes = writer.Write(Decision.Allow(ReasonCode.Granted, principal, "alice", AccessRole.Owner, "owner of profile alice")).ToByteArray();

        var fields = ProtoFields.Read(bytes);
        Assert.Equal([1, 3, 4], fields.Select(f => f.Number).Order());
        Assert.Empty(ProtoFields.Single(bytes, 1).Payload); // status.code 0 is the empty Status.

        // OkHttpResponse: headers 2, headers_to_remove 5.
        var ok = ProtoFields.Single(bytes, 3).Payload;
        var set = ProtoFields.Read(ok).Where(f => f.Number == 2).Select(f => HeaderOption(f.Payload)).ToList();
        Assert.Equal(2, set.Count);
        Assert.Contains(set, h => h.Key == "kubeflow-userid" && h.Value == "alice@example.com" && h.AppendFalse && h.AppendAction == 2);
        Assert.Contains(set, h => h.Key == "kubeflow-groups" && h.Value == "team-a,team-b" && h.AppendFalse);
        var removed = ProtoFields.Read(ok).Where(f => f.Number == 5).Select(f => Encoding.UTF8.GetString(f.Payload)).ToList();
        Assert.Equal(["x-goog-authenticated-user-email", "x-goog-authenticated-user-id"], removed.Order());
    }

    [Fact]
    public void CheckResponse_PublicAllow_RemovesEveryIdentityHeader()
    {
        var writer = new CheckResponseWriter(Options());
        var bytes = writer.Write(Decision.Allow(ReasonCode.Public, null, null, AccessRole.None, "public path")).ToByteArray();

        var ok = ProtoFields.Single(bytes, 3).Payload;
        Assert.DoesNotContain(ProtoFields.Read(ok), f => f.Number == 2);
        var removed = ProtoFields.Read(ok).Where(f => f.Number == 5).Select(f => Encoding.UTF8.GetString(f.Payload)).ToList();
        Assert.Equal(["kubeflow-groups", "kubeflow-userid", "x-goog-authenticated-user-email", "x-goog-authenticated-user-id"], removed.Order());
    }

    [Fact]
    public void CheckResponse_Redirect_Has302AndLocation()
    {
        var writer = new CheckResponseWriter(Options());
        var bytes = writer.Write(Decision.Redirect(ReasonCode.MissingToken, null, "/oauth2/start?rd=%2Fnotebook%2Falice%2F")).ToByteArray();

        var denied = ProtoFields.Single(bytes, 2).Payload;
        Assert.Equal(302ul, ProtoFields.Single(ProtoFields.Single(denied, 1).Payload, 1).Varint);
        var headers = ProtoFields.Read(denied).Where(f => f.Number == 2).Select(f => HeaderOption(f.Payload)).ToList();
        Assert.Contains(headers, h => h.Key == "location" && h.Value == "/oauth2/start?rd=%2Fnotebook%2Falice%2F");
    }

    private static ExtAuthzOptions Options()
    {
        var options = new ExtAuthzOptions();
        options.ApplyDefaults();
        return options;
    }

    private sealed record HeaderOptionView(string Key, string Value, bool AppendFalse, ulong AppendAction);

    /// <summary>HeaderValueOption: header 1 (HeaderValue key 1, value 2), append 2 (BoolValue), append_action 3.</summary>
    private static HeaderOptionView HeaderOption(byte[] payload)
    {
        var fields = ProtoFields.Read(payload);
        var header = ProtoFields.Read(fields.Single(f => f.Number == 1).Payload);
        var append = fields.SingleOrDefault(f => f.Number == 2);
        var action = fields.SingleOrDefault(f => f.Number == 3)?.Varint ?? 0;
        return new HeaderOptionView(
            Encoding.UTF8.GetString(header.Single(f => f.Number == 1).Payload),
            Encoding.UTF8.GetString(header.Single(f => f.Number == 2).Payload),
            append is not null && append.Payload.Length == 0,
            action);
    }
}
