using System.Text;
using BenchmarkDotNet.Attributes;
using ZstdSharp;

namespace MailSink.Benchmarks;

/// <summary>
/// The zstd level for stored raw bodies (Storage/RawCompression.cs): CPU per 5 KB text message and per 100 KB
/// message (text plus a base64 attachment) at each level. The compressed sizes are printed at set-up.
/// </summary>
[MemoryDiagnoser]
public class RawCompressionBenchmarks
{
    private Compressor _compressor = null!;
    private byte[] _buffer = [];

    [Params(1, 3, 9)]
    public int Level { get; set; }

    [Params(5_000, 100_000)]
    public int Size { get; set; }

    private byte[] _message = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var header = "Received: from a (localhost [127.0.0.1])\r\n\tby b (MailSink) with ESMTP id X; Sat, 28 Nov 2026 15:33:07 +0000\r\n" +
            "From: alice@sender.example\r\nTo: bob@destination.example\r\nSubject: bench\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n";
        var words = new[] { "the", "report", "of", "November", "shows", "orders", "shipped", "to", "customers", "in", "time", "and", "a", "few", "late" };
        var text = new StringBuilder(header);
        while (text.Length < Math.Min(Size, 5_000) - 60)
        {
            text.Append(string.Join(' ', Enumerable.Range(0, 10).Select(_ => words[random.Next(words.Length)]))).Append("\r\n");
        }

        if (Size > 5_000)
        {
            var attachment = new byte[(Size - text.Length) * 3 / 4 - 200];
            random.NextBytes(attachment);
            text.Append("--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .Append(Convert.ToBase64String(attachment, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n--b1--\r\n");
        }

        _message = Encoding.ASCII.GetBytes(text.ToString());
        _compressor = new Compressor(Level);
        _buffer = new byte[Compressor.GetCompressBound(_message.Length)];
        Console.WriteLine($"// level {Level}: {_message.Length} bytes -> {_compressor.Wrap(_message, _buffer)} bytes");
    }

    [GlobalCleanup]
    public void Cleanup() => _compressor.Dispose();

    [Benchmark]
    public int Compress() => _compressor.Wrap(_message, _buffer);
}
