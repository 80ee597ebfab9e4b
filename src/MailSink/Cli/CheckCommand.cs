using System.Net;
using System.Text.Json;
using MailSink.Contracts;
using MailSink.Diagnostics;
using MailSink.Diagnostics.Dns;
using MailSink.Domain;
using MailSink.Mime;

namespace MailSink.Cli;

/// <summary>
/// <c>mailsink check &lt;file.eml&gt;</c>: the ingest checks on a file, without a server, so CI can check the mail an
/// app generates. Exit 0 without errors, 1 when a finding is an error, 2 for a usage or file problem.
/// A file has no SMTP envelope: MAIL FROM is taken from its Return-Path (else From), SPF is evaluated only for
/// --sender-ip, BODY=8BITMIME and SMTPUTF8 are assumed, and a file with LF line ends only is read as CRLF
/// (what an SMTP client sends).
/// </summary>
internal static class CheckCommand
{
    public const int Clean = 0;
    public const int HasErrors = 1;
    public const int UsageError = 2;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parsed = CheckArguments.TryParse(args, out var usage);
        if (parsed is null)
        {
            await error.WriteLineAsync(usage).ConfigureAwait(false);
            return UsageError;
        }

        IPAddress? senderIp = null;
        if (parsed.SenderIp is not null && !IPAddress.TryParse(parsed.SenderIp, out senderIp))
        {
            await error.WriteLineAsync($"mailsink check: --sender-ip must be an IPv4 or IPv6 address, got '{parsed.SenderIp}'").ConfigureAwait(false);
            return UsageError;
        }

        byte[] data;
        DnsOverridesFile? overrides;
        try
        {
            data = Crlf(await File.ReadAllBytesAsync(parsed.File, cancellationToken).ConfigureAwait(false));
            overrides = parsed.DnsOverrides is null ? null : new DnsOverridesFile(parsed.DnsOverrides);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            await error.WriteLineAsync($"mailsink check: {ex.Message}").ConfigureAwait(false);
            return UsageError;
        }

        var envelope = new Envelope { MailParameters = { ["BODY"] = "8BITMIME", ["SMTPUTF8"] = "" } };
        var summary = MessageProjector.Project(data, envelope, out var message);
        envelope.MailFrom = message?.Headers[MimeKit.HeaderId.ReturnPath]?.Trim().Trim('<', '>') is { Length: > 0 } returnPath ? returnPath : summary.From?.Address ?? "";

        var resolver = new DiagnosticsResolver(overrides, parsed.DnsOn ? new SystemDnsResolver() : null);
        var checker = new MessageChecker(resolver, senderIp, "mailsink.check", TimeProvider.System);
        var checks = await checker.CheckAsync(data, message, summary, cancellationToken).ConfigureAwait(false);

        if (parsed.Json)
        {
            // The same shape as GET /api/v1/message/{id}/checks, so scripts can read either.
            await output.WriteLineAsync(JsonSerializer.Serialize(MessageChecksDto.From(checks), Json)).ConfigureAwait(false);
        }
        else
        {
            await WriteTextAsync(output, checks).ConfigureAwait(false);
        }

        return checks.Counts.Error > 0 ? HasErrors : Clean;
    }

    private static async Task WriteTextAsync(TextWriter output, MessageChecks checks)
    {
        await output.WriteLineAsync(checks.AuthenticationResults).ConfigureAwait(false);
        if (checks.Dmarc is { Verdict.Length: > 0 } dmarc)
        {
            await output.WriteLineAsync($"{dmarc.Verdict}{(dmarc.Fix.Length > 0 ? $". Fix: {dmarc.Fix}" : "")}").ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        foreach (var f in checks.Findings)
        {
            await output.WriteLineAsync($"{f.Severity.ToString().ToLowerInvariant(),-8}{f.Code,-36}{f.Message} ({f.Rfc})").ConfigureAwait(false);
        }

        var c = checks.Counts;
        await output.WriteLineAsync($"\n{c.Error} error(s), {c.Warning} warning(s), {c.Info} info, {c.Pass} pass").ConfigureAwait(false);
    }

    /// <summary>A file written with LF only (a Unix editor) becomes CRLF; a file with any CR is left byte for byte.</summary>
    private static byte[] Crlf(byte[] raw)
    {
        if (raw.AsSpan().Contains((byte)'\r') || !raw.AsSpan().Contains((byte)'\n'))
        {
            return raw;
        }

        var result = new List<byte>(raw.Length + (raw.Length / 40));
        foreach (var b in raw)
        {
            if (b == '\n')
            {
                result.Add((byte)'\r');
            }

            result.Add(b);
        }

        return [.. result];
    }
}
