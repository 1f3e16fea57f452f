using Envoy.Service.Auth.V3;
using ExtAuthz.Core.Requests;
using ExtAuthz.Server.Grpc;
using ExtAuthz.Server.Grpc.Wire;
using ExtAuthz.Testing;
using Google.Protobuf;

namespace ExtAuthz.Server.Tests.Wire;

/// <summary>
/// Both CheckRequest readers on crafted and random bytes: whatever protobuf's merge rules make of repeated messages
/// and repeated map keys, the lean path (walker, or its fallback to the generated parser) must read exactly what the
/// generated path reads — so no request can be decided one way on one path and another way on the other.
/// </summary>
public sealed class ReaderDifferentialTests
{
    private static readonly HeaderSlots s_slots = new(["x-goog-iap-jwt-assertion"]);
    private static readonly SlotNames s_names = new(s_slots);

    public static TheoryData<string> Crafted() => [.. s_crafted.Keys];

    /// <summary>Shapes Envoy never sends, where a reader that joins or merges differently from protobuf would decide differently.</summary>
    private static readonly Dictionary<string, Func<byte[]>> s_crafted = new()
    {
        ["authorization twice in the headers map: protobuf keeps the last"] = () => Http(h => h
            .String(2, "GET").String(4, "/notebook/alice/nb/")
            .MapEntry(3, "authorization", "Bearer first").MapEntry(3, "authorization", "Bearer second")),
        [":path twice with an empty path field"] = () => Http(h => h
            .String(2, "GET").String(4, "")
            .MapEntry(3, ":path", "/notebook/alice/nb/").MapEntry(3, ":path", "/notebook/bob/nb/")),
        ["http twice: the second merges into the first"] = () => new ProtoWriter().Message(1, a => a.Message(4, r => r
            .Message(2, h => h.String(2, "GET").String(4, "/notebook/alice/nb/").MapEntry(3, "authorization", "Bearer a"))
            .Message(2, h => h.String(4, "/notebook/bob/nb/").MapEntry(3, "authorization", "Bearer b")))).ToArray(),
        ["request twice"] = () => new ProtoWriter().Message(1, a => a
            .Message(4, r => r.Message(2, h => h.String(2, "GET").String(4, "/a").MapEntry(3, "cookie", "x=1")))
            .Message(4, r => r.Message(2, h => h.MapEntry(3, "cookie", "y=2")))).ToArray(),
        ["header_map in one http, map entry in a later one"] = () => new ProtoWriter().Message(1, a => a.Message(4, r => r
            .Message(2, h => h.String(2, "GET").String(4, "/a").Message(13, m => m.Message(1, v => v.String(1, "authorization").Bytes(3, "Bearer raw"u8.ToArray()))))
            .Message(2, h => h.MapEntry(3, "authorization", "Bearer map")))).ToArray(),
        ["case variants of one header in the map"] = () => Http(h => h
            .String(2, "GET").String(4, "/a").MapEntry(3, "Authorization", "Bearer upper").MapEntry(3, "authorization", "Bearer lower")),
        ["a header in the map and in header_map"] = () => Http(h => h
            .String(2, "GET").String(4, "/a").MapEntry(3, "cookie", "a=1")
            .Message(13, m => m.Message(1, v => v.String(1, "cookie").String(2, "b=2")))),
    };

    [Theory]
    [MemberData(nameof(Crafted))]
    public void Read_CraftedMergeShapes_BothPathsReadTheSame(string name)
    {
        var bytes = s_crafted[name]();

        Assert.Equal(Generated(bytes), Lean(bytes));
    }

    [Theory]
    [InlineData("authorization twice in the headers map: protobuf keeps the last")]
    [InlineData("http twice: the second merges into the first")]
    [InlineData("request twice")]
    public void Walk_ShapesThatNeedProtobufMerging_LeftToTheGeneratedParser(string name)
    {
        Assert.Throws<MalformedWireException>(() => CheckRequestWireReader.Read(s_crafted[name](), new CheckInput(s_slots), s_names));
    }

    [Fact]
    public void Read_AuthorizationTwice_KeepsTheLastOnBothPaths()
    {
        var input = CheckMarshallers.Read(s_crafted["authorization twice in the headers map: protobuf keeps the last"](), s_names);

        Assert.Equal("Bearer second", input.GetHeader(HeaderSlots.Authorization));
    }

    /// <summary>2,000 random requests built from the fields the readers keep, repeated and nested at random.</summary>
    [Fact]
    public void Read_RandomRequests_BothPathsReadTheSame()
    {
        var random = new Random(20261207);
        var walked = 0;
        for (var i = 0; i < 2000; i++)
        {
            var bytes = RandomRequest(random);
            var expected = Generated(bytes);

            Assert.Equal(expected, Lean(bytes));
            walked += Walks(bytes) ? 1 : 0;
        }

        // Both kinds were exercised: requests the walker read itself, and requests it left to the generated parser.
        Assert.InRange(walked, 200, 1800);
    }

    private static readonly string[] s_keys =
    [
        "authorization", "Authorization", ":path", ":method", ":authority", "cookie", "accept", "upgrade",
        "x-goog-iap-jwt-assertion", "kubeflow-userid", "user-agent", "sec-fetch-mode",
    ];

    private static readonly string[] s_values = ["Bearer a.b.c", "Bearer x.y.z", "/notebook/alice/nb/", "/notebook/bob/", "GET", "", "text/html", "websocket"];

    private static byte[] RandomRequest(Random random)
    {
        var writer = new ProtoWriter();
        for (int a = 0, attributes = Count(random); a < attributes; a++)
        {
            writer.Message(1, attr =>
            {
                if (random.Next(3) == 0)
                {
                    attr.Message(1, p => p.String(4, Pick(random, ["spiffe://cluster.local/ns/alice/sa/x", ""])));
                }

                if (random.Next(3) == 0)
                {
                    attr.Message(2, p => p.String(4, Pick(random, ["spiffe://cluster.local/ns/bob/sa/y", "spiffe://cluster.local/ns/alice/sa/nb"])));
                }

                for (int r = 0, requests = Count(random); r < requests; r++)
                {
                    attr.Message(4, req =>
                    {
                        for (int h = 0, https = Count(random); h < https; h++)
                        {
                            req.Message(2, http => RandomHttp(random, http));
                        }
                    });
                }
            });
        }

        return writer.ToArray();
    }

    private static void RandomHttp(Random random, ProtoWriter http)
    {
        if (random.Next(2) == 0)
        {
            http.String(2, Pick(random, ["GET", "POST", ""]));
        }

        if (random.Next(2) == 0)
        {
            http.String(4, Pick(random, ["/notebook/alice/nb/", "/dex/auth", ""]));
        }

        if (random.Next(4) == 0)
        {
            http.String(5, Pick(random, ["kubeflow.example.com", "m.alice.example.com"]));
        }

        for (var i = random.Next(5); i > 0; i--)
        {
            http.MapEntry(3, Pick(random, s_keys), Pick(random, s_values));
        }

        if (random.Next(4) == 0)
        {
            http.Message(13, map =>
            {
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    var key = Pick(random, s_keys);
                    var value = Pick(random, s_values);
                    map.Message(1, v => _ = random.Next(2) == 0 ? v.String(1, key).String(2, value) : v.String(1, key).Bytes(3, System.Text.Encoding.UTF8.GetBytes(value)));
                }
            });
        }
    }

    private static int Count(Random random) => random.Next(10) switch { 0 => 0, < 8 => 1, _ => 2 };

    private static string Pick(Random random, string[] options) => options[random.Next(options.Length)];

    private static byte[] Http(Action<ProtoWriter> http) =>
        new ProtoWriter().Message(1, a => a.Message(4, r => r.Message(2, http))).ToArray();

    private static bool Walks(byte[] bytes)
    {
        try
        {
            CheckRequestWireReader.Read(bytes, new CheckInput(s_slots), s_names);
            return true;
        }
        catch (MalformedWireException)
        {
            return false;
        }
    }

    private static string Generated(byte[] bytes)
    {
        var input = new CheckInput(s_slots);
        CheckRequestReader.Read(CheckRequest.Parser.ParseFrom(bytes), input);
        return InputSnapshot.Of(input);
    }

    private static string Lean(byte[] bytes) => InputSnapshot.Of(CheckMarshallers.Read(bytes, s_names));
}
