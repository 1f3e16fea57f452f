using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExtAuthz.Server.Operations;

/// <summary>
/// The service's own log lines (ASP.NET Core, gRPC, ours) into the shared <see cref="LogSink"/>, in place of the
/// console logger, whose full queue makes the logging thread wait. Each message is one line, formatted on the
/// calling thread (its state lives only there), cut at <see cref="MaxChars"/>, with every URL's user-info removed.
/// </summary>
internal sealed class SinkLoggerProvider : ILoggerProvider
{
    /// <summary>Longest message or exception text kept on a line.</summary>
    public const int MaxChars = 4096;

    private static readonly JsonWriterOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly LogSink _sink;
    private readonly bool _json;
    private readonly TimeProvider _time;

    public SinkLoggerProvider(LogSink sink, LogSettings settings, TimeProvider time)
    {
        _sink = sink;
        _json = settings.Json;
        _time = time;
    }

    public ILogger CreateLogger(string categoryName) => new SinkLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string category, LogLevel level, EventId id, string message, Exception? exception)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var now = _time.GetUtcNow().UtcDateTime;
        message = Cut(UrlRedaction.Redact(message));
        var error = exception is null ? null : Cut(UrlRedaction.Redact(exception.ToString()));
        if (_json)
        {
            using var json = new Utf8JsonWriter(buffer, s_json);
            json.WriteStartObject();
            json.WriteString("time", now);
            json.WriteString("log", "app");
            json.WriteString("level", Level(level));
            json.WriteString("category", category);
            json.WriteNumber("event", id.Id);
            json.WriteString("message", message);
            if (error is not null)
            {
                json.WriteString("exception", error);
            }

            json.WriteEndObject();
        }
        else
        {
            var text = $"{now:yyyy-MM-ddTHH:mm:ss.fffZ} {Level(level)} {category}[{id.Id}] {message}" + (error is null ? "" : " | " + error);

            // One message, one line: a newline inside it (a stack trace) would split it among other writers' lines.
            Encoding.UTF8.GetBytes(text.ReplaceLineEndings(" | "), buffer);
        }

        buffer.Write("\n"u8);
        _sink.TryWrite(buffer.WrittenSpan, "app");
    }

    private static string Cut(string text) => text.Length <= MaxChars ? text : string.Concat(text.AsSpan(0, MaxChars), "…");

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };

    private sealed class SinkLogger(SinkLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(category, logLevel, eventId, formatter(state, exception), exception);
            }
        }
    }
}
