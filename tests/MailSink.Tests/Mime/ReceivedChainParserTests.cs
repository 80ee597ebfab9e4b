using MailSink.Domain;
using MailSink.Mime;

namespace MailSink.Tests.Mime;

public class ReceivedChainParserTests
{
    [Fact]
    public void Three_received_headers_are_parsed_newest_first_with_delays()
    {
        var raw = Corpus.ToCrlf("""
            Received: from mx.example.org (mx.example.org [198.51.100.7])
            	by inbox.example.net (Postfix) with ESMTPS id 4VtXyZ1abc
            	for <bob@example.net>; Tue, 04 Jun 2024 10:00:30 +0000
            Received: from relay.example.com (relay.example.com [203.0.113.5])
            	by mx.example.org with ESMTP id x1; Tue, 04 Jun 2024 10:00:10 +0000
            Received: from [192.0.2.10] (client.example.com [192.0.2.10])
            	by relay.example.com with ESMTPSA id abc; Tue, 04 Jun 2024 09:59:55 +0000
            From: alice@example.com
            To: bob@example.net
            Subject: hops

            body
            """);

        var chain = MessageProjector.Project(raw, new Envelope()).ReceivedChain;

        Assert.Equal([0, 1, 2], chain.Select(h => h.Index));
        Assert.Equal(["inbox.example.net (Postfix)", "mx.example.org", "relay.example.com"], chain.Select(h => h.By));
        Assert.Equal("mx.example.org (mx.example.org [198.51.100.7])", chain[0].From);
        Assert.Equal("bob@example.net", chain[0].For);
        Assert.Equal("4VtXyZ1abc", chain[0].Id);
        Assert.Equal([20.0, 15.0, null], chain.Select(h => h.DelaySeconds));
        Assert.All(chain, h => Assert.Null(h.Note));
        // RFC 5322 section 2.2.3: unfolding removes the CRLF and keeps the folding white space.
        Assert.StartsWith("from mx.example.org (mx.example.org [198.51.100.7])\tby inbox.example.net (Postfix)", chain[0].Raw, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', chain[0].Raw);
        Assert.DoesNotContain('\r', chain[0].Raw);
    }

    [Fact]
    public void Gmail()
    {
        var hop = ReceivedChainParser.ParseHop(
            "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])\r\n        by mx.google.com with SMTPS id t3-20020a17sor335081pjd.34.2022.07.26.20.45.07\r\n        for <recipient@example.com>\r\n        (Google Transport Security);\r\n        Tue, 26 Jul 2022 20:45:07 -0700 (PDT)",
            0);

        Assert.Equal("mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])", hop.From);
        Assert.Equal("mx.google.com", hop.By);
        Assert.Equal("SMTPS", hop.With);
        Assert.Equal("recipient@example.com", hop.For);
        Assert.Equal(new DateTimeOffset(2022, 7, 26, 20, 45, 7, TimeSpan.FromHours(-7)), hop.Date);
        Assert.NotNull(hop.Tls);
    }

    [Fact]
    public void Gmail_submission_with_tls_comment()
    {
        var hop = ReceivedChainParser.ParseHop(
            "from localhost.localhost ([8.8.8.8]) by smtp.gmail.com with ESMTPSA id s7-2022 for <r@example.com> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); Tue, 26 Jul 2022 20:45:06 -0700 (PDT)",
            1);

        Assert.Equal(1, hop.Index);
        Assert.Equal("version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256", hop.Tls);
        Assert.Equal("r@example.com", hop.For);
        Assert.Equal("ESMTPSA", hop.With);
    }

    [Fact]
    public void Exchange_online()
    {
        var hop = ReceivedChainParser.ParseHop(
            "from LO2GBR01FT016.eop-gbr01.prod.protection.outlook.com (2603:10a6:600:197:cafe::98) by LO4P123CA0318.outlook.office365.com (2603:10a6:600:197::17) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.4930.15 via Frontend Transport; Wed, 26 Jan 2022 09:06:51 +0000",
            0);

        Assert.Equal("LO2GBR01FT016.eop-gbr01.prod.protection.outlook.com (2603:10a6:600:197:cafe::98)", hop.From);
        Assert.Equal("LO4P123CA0318.outlook.office365.com (2603:10a6:600:197::17)", hop.By);
        Assert.Equal("Microsoft SMTP Server", hop.With);
        Assert.Equal("version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", hop.Tls);
        Assert.Equal("15.20.4930.15", hop.Id);
        Assert.Equal("Frontend Transport", hop.Via);
        Assert.Null(hop.Note);
    }

    [Fact]
    public void Postfix_with_using_tls_comment()
    {
        var hop = ReceivedChainParser.ParseHop(
            "from hmail.example.com (hmail.example.com [52.4.102.94])\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)\r\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits))\r\n\t(No client certificate requested)\r\n\tby mx1.example.net (Postfix) with ESMTPS id ABC123\r\n\tfor <x@y.example>; Tue, 4 Jun 2024 09:06:48 +0000 (UTC)",
            0);

        Assert.Equal("hmail.example.com (hmail.example.com [52.4.102.94]) (No client certificate requested)", hop.From);
        Assert.Equal("mx1.example.net (Postfix)", hop.By);
        Assert.Equal("ESMTPS", hop.With);
        Assert.Equal("ABC123", hop.Id);
        Assert.Equal("x@y.example", hop.For);
        Assert.StartsWith("using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384", hop.Tls, StringComparison.Ordinal);
    }

    [Fact]
    public void Exim_with_tls_clause()
    {
        var hop = ReceivedChainParser.ParseHop(
            "from [192.0.2.1] (helo=client.example.org)\r\n\tby mail.example.org with esmtpsa  (TLS1.3) tls TLS_AES_256_GCM_SHA384\r\n\t(Exim 4.96)\r\n\t(envelope-from <a@example.org>)\r\n\tid 1rXyZa-000ABC-2b\r\n\tfor b@example.com; Tue, 04 Jun 2024 11:22:33 +0200",
            0);

        Assert.Equal("[192.0.2.1] (helo=client.example.org)", hop.From);
        Assert.Equal("mail.example.org", hop.By);
        Assert.Equal("esmtpsa", hop.With);
        Assert.Equal("TLS1.3; TLS_AES_256_GCM_SHA384", hop.Tls);
        Assert.Equal("1rXyZa-000ABC-2b", hop.Id);
        Assert.Equal("b@example.com", hop.For);
        Assert.Equal(new DateTimeOffset(2024, 6, 4, 11, 22, 33, TimeSpan.FromHours(2)), hop.Date);
    }

    [Fact]
    public void Sendmail_with_version_comment_after_the_id()
    {
        var hop = ReceivedChainParser.ParseHop(
            "from client.example.com (client.example.com [198.51.100.20])\r\n\tby mail.example.com (8.15.2/8.15.2) with ESMTPS id 4A1B2C3D004567\r\n\t(version=TLSv1.2 cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256 verify=NOT)\r\n\tfor <user@example.com>; Tue, 4 Jun 2024 10:15:00 -0400",
            0);

        Assert.Equal("mail.example.com (8.15.2/8.15.2)", hop.By);
        Assert.Equal("4A1B2C3D004567", hop.Id);
        Assert.Equal("version=TLSv1.2 cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256 verify=NOT", hop.Tls);
        Assert.Equal("user@example.com", hop.For);
    }

    [Fact]
    public void Qmail_comment_only_header_keeps_its_date_and_gets_a_note()
    {
        var hop = ReceivedChainParser.ParseHop("(qmail 21619 invoked from network); 15 Nov 2017 14:16:18 -0000", 0);

        Assert.Null(hop.From);
        Assert.Null(hop.By);
        Assert.Equal(new DateTimeOffset(2017, 11, 15, 14, 16, 18, TimeSpan.Zero), hop.Date);
        Assert.Contains("qmail", hop.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Qmail_smtp_hop_with_empty_by()
    {
        var hop = ReceivedChainParser.ParseHop("from unknown (HELO mx.example.com) (80.68.177.35)\r\n  by  with SMTP; 15 Nov 2017 14:16:18 -0000", 0);

        Assert.Equal("unknown (HELO mx.example.com) (80.68.177.35)", hop.From);
        Assert.Null(hop.By);
        Assert.Equal("SMTP", hop.With);
        Assert.Null(hop.Tls);
        Assert.NotNull(hop.Date);
    }

    [Theory]
    [InlineData("complete garbage without structure")]
    [InlineData("")]
    [InlineData("from (((unclosed by x; Tue, 04 Jun 2024 10:00:00 +0000")]
    [InlineData("from a by b; not a date at all")]
    public void Garbage_is_kept_raw_with_a_note(string value)
    {
        var hop = ReceivedChainParser.ParseHop(value, 3);

        Assert.Equal(3, hop.Index);
        Assert.Equal(value.Trim(), hop.Raw);
        Assert.NotNull(hop.Note);
    }

    [Fact]
    public void Delay_is_null_when_a_date_is_missing()
    {
        var chain = ReceivedChainParser.Parse([
            "from b by c; Tue, 04 Jun 2024 10:00:10 +0000",
            "from a by b; garbage",
            "from z by a; Tue, 04 Jun 2024 10:00:00 +0000",
        ]);

        Assert.All(chain, h => Assert.Null(h.DelaySeconds));
    }
}
