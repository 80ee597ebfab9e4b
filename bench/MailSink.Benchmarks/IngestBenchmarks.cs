using System.Text;
using BenchmarkDotNet.Attributes;
using MailSink.Domain;
using MailSink.Mime;
using MailSink.Search;

namespace MailSink.Benchmarks;

/// <summary>The per-message work on the SMTP hot path: MIME projection, Received parsing, search matching.</summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private byte[] _plain = [];
    private byte[] _multipart = [];
    private MessageSummary _summary = new();
    private SearchQuery _query = SearchQuery.Empty;
    private string[] _received = [];

    [GlobalSetup]
    public void Setup()
    {
        _plain = Encoding.ASCII.GetBytes(
            "Received: from a (localhost [127.0.0.1])\r\n\tby b (MailSink) with ESMTP id X; Sat, 28 Nov 2026 15:33:07 +0000\r\n" +
            "From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n" +
            "Date: Sat, 28 Nov 2026 15:33:07 +0000\r\nMessage-ID: <1@example.com>\r\n\r\n" + string.Concat(Enumerable.Repeat("Hello world, this is a line of text.\r\n", 130)));
        var boundary = "b1";
        var attachment = Convert.ToBase64String(new byte[64 * 1024], Base64FormattingOptions.InsertLineBreaks);
        _multipart = Encoding.ASCII.GetBytes(
            "From: a@example.com\r\nTo: b@example.com\r\nSubject: report\r\nMIME-Version: 1.0\r\n" +
            $"Content-Type: multipart/mixed; boundary={boundary}\r\n\r\n--{boundary}\r\nContent-Type: text/html\r\n\r\n<p>Hello <b>there</b></p>\r\n" +
            $"--{boundary}\r\nContent-Type: application/pdf; name=r.pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=r.pdf\r\n\r\n{attachment}\r\n--{boundary}--\r\n");
        _summary = MessageProjector.Project(_plain, new Envelope { MailFrom = "alice@example.com", RcptTo = ["bob@example.com"] });
        _query = SearchQuery.Parse("from:alice café -is:read");
        _received =
        [
            "from mail.example.com (mail.example.com [203.0.113.5]) (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)) by mx.example.net (Postfix) with ESMTPS id 4ABC123 for <bob@example.net>; Tue, 24 Nov 2026 10:00:01 +0000",
            "from [10.0.0.2] (unknown [198.51.100.7]) by mail.example.com with ESMTPSA id xyz; Tue, 24 Nov 2026 09:59:58 +0000",
        ];
    }

    // object, not MessageSummary: the results are MailSink.Core's internal types (the benchmark still consumes them).
    [Benchmark]
    public object ProjectPlain5K() => MessageProjector.Project(_plain, new Envelope());

    [Benchmark]
    public object ProjectMultipart64K() => MessageProjector.Project(_multipart, new Envelope());

    [Benchmark]
    public object ParseReceivedChain() => ReceivedChainParser.Parse(_received);

    [Benchmark]
    public bool MatchSearch() => _query.Matches(_summary);
}
