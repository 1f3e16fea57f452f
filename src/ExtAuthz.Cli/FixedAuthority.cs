using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace ExtAuthz.Cli;

/// <summary>
/// An HTTP handler that dials one address and writes a chosen <c>:authority</c> (HTTP/2) or <c>Host</c> (HTTP/1.1),
/// such as Istio's ext_authz cluster name <c>outbound_.9000_._.extauthz.extauthz-system.svc.cluster.local</c>, which
/// .NET's URI and Host parsers refuse. The request is addressed to a same-length stand-in ('_' written as 'x'), and
/// the connection's outgoing bytes carry the real name in its place (the HTTP/2 encoder writes header values as
/// plain literals, so the frame lengths stay right).
/// </summary>
internal static class FixedAuthority
{
    /// <summary>The handler, and the base address to give the client in place of <paramref name="dial"/>.</summary>
    public static (SocketsHttpHandler Handler, Uri Address) For(Uri dial, string authority)
    {
        var standIn = authority.Replace('_', 'x');
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(dial.Host, dial.Port, cancellationToken);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                Stream stream = new NetworkStream(socket, ownsSocket: true);
                return standIn == authority ? stream : new Rewriting(stream, Encoding.ASCII.GetBytes(standIn), Encoding.ASCII.GetBytes(authority));
            },
        };
        return (handler, new Uri($"http://{standIn}/"));
    }

    /// <summary>Passes bytes through, writing <c>to</c> wherever <c>from</c> (of the same length) is written.</summary>
    private sealed class Rewriting(Stream inner, byte[] from, byte[] to) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.Span.IndexOf(from) < 0)
            {
                await inner.WriteAsync(buffer, cancellationToken);
                return;
            }

            var copy = ArrayPool<byte>.Shared.Rent(buffer.Length);
            try
            {
                buffer.CopyTo(copy);
                var span = copy.AsSpan(0, buffer.Length);
                for (var at = span.IndexOf(from); at >= 0; at = span.IndexOf(from))
                {
                    to.CopyTo(span[at..]);
                }

                await inner.WriteAsync(copy.AsMemory(0, buffer.Length), cancellationToken);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
