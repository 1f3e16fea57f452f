using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Testing;
using Google.Protobuf;

namespace ExtAuthz.Server.Tests.Wire;

/// <summary>
/// The same bytes through both readers — the generated classes then <see cref="CheckRequestReader"/>, and the lean
/// <see cref="CheckMarshallers"/> — must give the same <see cref="CheckInput"/>, field by field and slot by slot.
/// </summary>
public sealed class LeanReaderTests
{
    private static readonly HeaderSlots s_slots = new(["x-goog-iap-jwt-assertion"]);
    private static readonly SlotNames s_names = new(s_slots);

    public static TheoryData<string> Goldens() => [.. s_goldens.Keys];

    private static readonly Dictionary<string, Func<byte[]>> s_goldens = new()
    {
        ["istio headers map"] = WireGoldenTests.IstioRequestBytes,
        ["raw header_map"] = WireGoldenTests.HeaderMapRequestBytes,
        ["generated encoder, token and spoofed identity"] = () => Requests.Istio("POST", "/api/namespaces/alice/notebooks", headers:
            [new("authorization", "Bearer a.b.c"), new("kubeflow-userid", "admin@example.com"), new("x-goog-iap-jwt-assertion", "i.a.p")],
            sourcePrincipal: "spiffe://cluster.local/ns/alice/sa/default-editor",
            destinationPrincipal: "spiffe://cluster.local/ns/alice/sa/nb").ToByteArray(),
        ["mixed-case and non-ASCII header names"] = () => new ProtoWriter().Message(1, a => a.Message(4, r => r.Message(2, h => h
            .String(2, "GET").String(4, "/")
            .MapEntry(3, "Authorization", "Bearer upper")
            .MapEntry(3, "COOKIE", "c=1")
            .MapEntry(3, "authorızation", "Bearer dotless-i")
            .MapEntry(3, "x-goog-iap-jwt-assertion", "i.a.p")))).ToArray(),
        ["map entries in every valid shape: value first, key only, value only, a key twice, an unknown field"] = () => new ProtoWriter()
            .Message(1, a => a.Message(4, r => r.Message(2, h => h
                .String(2, "GET").String(4, "/")
                .Message(3, e => e.String(2, "Bearer value-first").String(1, "authorization"))
                .Message(3, e => e.String(1, "cookie"))
                .Message(3, e => e.String(2, "orphan value"))
                .Message(3, e => e.String(1, "user-agent").String(1, "accept").String(2, "text/html"))
                .Message(3, e => e.String(1, "sec-fetch-mode").UInt(7, 3).String(2, "navigate")))))
            .ToArray(),
        ["values whose lengths take one, two and three bytes, non-ASCII UTF-8 kept and skipped"] = () => new ProtoWriter()
            .Message(1, a => a.Message(4, r => r.Message(2, h => h
                .String(2, "GET").String(4, "/")
                .MapEntry(3, "accept", new string('a', 127))
                .MapEntry(3, "referer", "https://kubeflow.example.com/" + new string('r', 200))
                .MapEntry(3, "authorization", "Bearer " + new string('t', 20_000))
                .MapEntry(3, "x-" + new string('k', 130), "a long name")
                .MapEntry(3, "sec-fetch-dest", "d\u00e9j\u00e0-vu")
                .MapEntry(3, "user-agent", "caf\u00e9 \u2603")))).ToArray(),
        ["empty message"] = () => [],
        ["attributes without http"] = () => new ProtoWriter().Message(1, a => a.Message(1, p => p.String(4, "spiffe://x/ns/a/sa/b"))).ToArray(),
        ["empty http"] = () => new ProtoWriter().Message(1, a => a.Message(4, r => r.Message(2, _ => { }))).ToArray(),
        ["pseudo headers only"] = () => new ProtoWriter().Message(1, a => a.Message(4, r => r.Message(2, h => h
            .MapEntry(3, ":method", "DELETE").MapEntry(3, ":path", "/notebook/alice/x").MapEntry(3, ":authority", "kf.example.com")))).ToArray(),
        ["unknown fields of every wire type, method as a varint"] = () => new ProtoWriter()
            .UInt(99, 7)
            .Bytes(98, [1, 2, 3])
            .Raw([(14 << 3) | 1, 1, 2, 3, 4, 5, 6, 7, 8, (15 << 3) | 5, 1, 2, 3, 4])
            .Message(1, a => a.UInt(3, 1).Message(4, r => r.Message(2, h => h
                .UInt(2, 5)
                .String(4, "/p")
                .String(7, "query-is-not-read")
                .Message(3, e => e.String(1, "accept").UInt(5, 1).String(2, "text/html")))))
            .ToArray(),
        ["attributes twice: the later fields win, headers merge"] = () => new ProtoWriter()
            .Message(1, a => a.Message(4, r => r.Message(2, h => h.String(2, "GET").String(4, "/first").MapEntry(3, "cookie", "a=1"))))
            .Message(1, a => a.Message(4, r => r.Message(2, h => h.String(4, "/second").MapEntry(3, "accept", "*/*"))))
            .ToArray(),
        ["a group the lean reader leaves to the generated parser"] = () => new ProtoWriter()
            .Message(1, a => a.Message(4, r => r.Message(2, h => h.String(2, "GET").String(4, "/grouped"))))
            .Raw([(12 << 3) | 3, (1 << 3) | 0, 1, (12 << 3) | 4])
            .ToArray(),
    };

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Read_SameBytes_BothReadersGiveTheSameInput(string golden)
    {
        var bytes = s_goldens[golden]();

        var generated = new CheckInput(s_slots);
        CheckRequestReader.Read(CheckRequest.Parser.ParseFrom(bytes), generated);
        var lean = CheckMarshallers.Read(bytes, s_names);

        Assert.Equal(InputSnapshot.Of(generated), InputSnapshot.Of(lean));
    }

    public static TheoryData<string> Refused() => [.. s_refused.Keys];

    private static readonly Dictionary<string, Func<byte[]>> s_refused = new()
    {
        ["truncated"] = () => WireGoldenTests.IstioRequestBytes()[..^3],
        ["non-UTF-8 path"] = () => new ProtoWriter().Message(1, a => a.Message(4, r => r.Message(2, h => h
            .String(2, "GET").Bytes(4, [(byte)'/', 0xC3, 0x28])))).ToArray(),
        ["non-UTF-8 in a header nobody reads"] = () => new ProtoWriter().Message(1, a => a.Message(4, r => r.Message(2, h => h
            .String(2, "GET").String(4, "/").Message(3, e => e.String(1, "user-agent").Bytes(2, [0xFF, 0xFE]))))).ToArray(),
        ["non-UTF-8 in a short entry's key"] = () => new ProtoWriter().Message(1, a => a.Message(4, r => r.Message(2, h => h
            .String(2, "GET").String(4, "/").Message(3, e => e.Bytes(1, [(byte)'x', 0xC0, 0xAF]).String(2, "v"))))).ToArray(),
        ["non-UTF-8 in a long value nobody reads"] = () => new ProtoWriter().Message(1, a => a.Message(4, r => r.Message(2, h => h
            .String(2, "GET").String(4, "/").Message(3, e => e.String(1, "user-agent").Bytes(2, [.. new byte[300].Select(_ => (byte)'u'), 0xED, 0xA0, 0x80]))))).ToArray(),
        ["non-UTF-8 in a kept credential"] = () => new ProtoWriter().Message(1, a => a.Message(4, r => r.Message(2, h => h
            .String(2, "GET").String(4, "/").Message(3, e => e.String(1, "authorization").Bytes(2, [(byte)'B', 0xF8, 0x88, 0x80, 0x80, 0x80]))))).ToArray(),
        ["map entry value length past the entry"] = () => new ProtoWriter().Message(1, a => a.Message(4, r => r.Message(2, h => h
            .String(2, "GET").String(4, "/").Raw([(3 << 3) | 2, 5, 0x0A, 1, (byte)'a', 0x12, 9])))).ToArray(),
        ["length past the end"] = () => [0x0A, 0x7F, 0x22, 0x00],
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Read_BytesTheGeneratedParserRefuses_LeanReaderRefusesToo(string golden)
    {
        var bytes = s_refused[golden]();

        Assert.ThrowsAny<InvalidProtocolBufferException>(() => CheckRequest.Parser.ParseFrom(bytes));
        Assert.ThrowsAny<InvalidProtocolBufferException>(() => CheckMarshallers.Read(bytes, s_names));
    }

    [Fact]
    public void Read_IstioGolden_KeepsTokenAndPrincipalsAndSkipsTheRest()
    {
        var input = CheckMarshallers.Read(WireGoldenTests.IstioRequestBytes(), s_names);

        Assert.Equal("Bearer eyJhbGciOi.x.y", input.GetHeader(HeaderSlots.Authorization));
        Assert.Equal("spiffe://cluster.local/ns/foo/sa/httpbin", input.DestinationPrincipal);
        Assert.Null(input.GetHeader(s_slots.SlotOf("x-goog-iap-jwt-assertion")));
    }

    /// <summary>
    /// A warm Check decodes no credential and no pseudo-header: the caller's kilobyte-long token comes back as the
    /// same string instance, and what is left to allocate is the input itself and its path.
    /// </summary>
    [Fact]
    public void Read_WarmIstioRequestWithToken_ReusesTheTokenAndAllocatesLittle()
    {
        var token = "Bearer " + new string('t', 900) + ".sig";
        var bytes = Requests.Istio("GET", "/notebook/alice/nb/api/kernels?1772360130", headers: [new("authorization", token), new("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7")]).ToByteArray();
        var names = new SlotNames(s_slots);
        var first = CheckMarshallers.Read(bytes, names);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var second = CheckMarshallers.Read(bytes, names);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(token, second.GetHeader(HeaderSlots.Authorization));
        Assert.Same(first.GetHeader(HeaderSlots.Authorization), second.GetHeader(HeaderSlots.Authorization));
        Assert.Equal("/notebook/alice/nb/api/kernels?1772360130", second.Path);
        Assert.InRange(allocated, 1, 600);
    }
}
