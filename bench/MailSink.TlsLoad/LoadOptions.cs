using System.Globalization;

namespace MailSink.TlsLoad;

/// <summary>The command line: <c>--name value</c> pairs and a few switches, all with defaults matching peer-bench's load.</summary>
internal sealed record LoadOptions
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; }

    /// <summary>Concurrent SMTP sessions (smtp-source -s).</summary>
    public int Sessions { get; init; } = 8;

    /// <summary>Messages in the measured run; ignored when <see cref="Seconds"/> is set.</summary>
    public int Messages { get; init; } = 3000;

    /// <summary>Messages sent before the measured run (not counted), as peer-bench warms each target with 200.</summary>
    public int Warmup { get; init; } = 200;

    /// <summary>Messages per connection: 1 is a new connection per message (smtp-source's default).</summary>
    public int PerConnection { get; init; } = 1;

    /// <summary>Approximate size of each message in bytes, headers included.</summary>
    public int Size { get; init; } = 5000;

    /// <summary>Send the bulk of each message as a base64 attachment in a multipart/mixed message.</summary>
    public bool Attachment { get; init; }

    /// <summary>STARTTLS after the first EHLO on every connection.</summary>
    public bool StartTls { get; init; }

    /// <summary>MailSink's process id: its user+system CPU time is read from /proc before and after the run.</summary>
    public int? ServerPid { get; init; }

    /// <summary>Paced load: message n is due n/rate seconds after the start. Unset: as fast as the server answers.</summary>
    public double? Rate { get; init; }

    /// <summary>Run for this long instead of a message count (paced loads).</summary>
    public double? Seconds { get; init; }

    /// <summary>Print a line every this many seconds (sent, msg/s, slowest 250 in the interval, store total).</summary>
    public double? Report { get; init; }

    /// <summary>A MailSink HTTP base URL: each report line adds the store's message count from /api/v2/messages.</summary>
    public Uri? Api { get; init; }

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double Double() => double.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--host" => o with { Host = Next() },
                "--port" => o with { Port = Int() },
                "--sessions" => o with { Sessions = Int() },
                "--messages" => o with { Messages = Int() },
                "--warmup" => o with { Warmup = Int() },
                "--per-connection" => o with { PerConnection = Int() },
                "--size" => o with { Size = Int() },
                "--attachment" => o with { Attachment = true },
                "--starttls" => o with { StartTls = true },
                "--pid" => o with { ServerPid = Int() },
                "--rate" => o with { Rate = Double() },
                "--seconds" => o with { Seconds = Double() },
                "--report" => o with { Report = Double() },
                "--api" => o with { Api = new Uri(Next()) },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        if (o.Port <= 0 || o.Sessions <= 0 || o.PerConnection <= 0 || o.Size < 500 || o.Messages <= 0)
        {
            throw new ArgumentException("--port is required; --sessions, --per-connection, --messages must be positive; --size at least 500");
        }

        return o;
    }

    public const string Usage =
        "MailSink.TlsLoad --port P [--host 127.0.0.1] [--sessions 8] [--messages 3000] [--warmup 200] [--per-connection 1]\n" +
        "                 [--size 5000] [--attachment] [--starttls] [--pid SERVER_PID] [--rate MSG_PER_S --seconds S]\n" +
        "                 [--report SECONDS] [--api http://127.0.0.1:8025/]";
}
