using MailSink.Diagnostics.Dns;
using MimeKit;
using MimeKit.Cryptography;

namespace MailSink.Diagnostics.Dkim;

/// <summary>
/// Verifies every DKIM-Signature (RFC 6376): tags first, then the body hash offline, then the key from the resolver
/// and the header signature with MimeKit. Each signature gets a result and findings saying what to fix.
/// </summary>
internal static class DkimChecker
{
    private static readonly string[] Required = ["v", "a", "b", "bh", "d", "h", "s"];

    public static async Task<List<DkimResult>> CheckAsync(MimeMessage message, IDnsResolver resolver, DateTimeOffset now, List<Finding> findings, CancellationToken cancellationToken)
    {
        var results = new List<DkimResult>();
        var locator = new DkimKeyLocator(resolver);
        var verifier = new DkimSignatureVerifier(locator);
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            results.Add(await CheckOneAsync(message, header, locator, verifier, now, findings, cancellationToken).ConfigureAwait(false));
        }

        if (results.Count == 0)
        {
            findings.Add(Finding.Of("dkim.unsigned", FindingSeverity.Warning, FindingArea.Dkim, "RFC 6376 section 1",
                "The message has no DKIM-Signature; sign it with a key published at selector._domainkey.<your domain> (Gmail and Yahoo require DKIM or SPF for all senders, and both for bulk senders)."));
        }

        return results;
    }

    private static async Task<DkimResult> CheckOneAsync(MimeMessage message, Header header, DkimKeyLocator locator, DkimSignatureVerifier verifier, DateTimeOffset now, List<Finding> findings, CancellationToken cancellationToken)
    {
        var tags = DkimTags.Parse(header.Value);
        var result = new DkimResult
        {
            Domain = tags.GetValueOrDefault("d", "").ToLowerInvariant(),
            Selector = tags.GetValueOrDefault("s", ""),
            Algorithm = tags.GetValueOrDefault("a", "").ToLowerInvariant(),
            Identity = tags.GetValueOrDefault("i", ""),
            Canonicalization = tags.GetValueOrDefault("c", "simple/simple").ToLowerInvariant(),
            SignedHeaders = tags.GetValueOrDefault("h", "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            BodyLength = long.TryParse(tags.GetValueOrDefault("l"), out var l) ? l : null,
            SignedAt = Seconds(tags.GetValueOrDefault("t")),
            ExpiresAt = Seconds(tags.GetValueOrDefault("x")),
        };
        var label = result.Domain.Length > 0 ? $"d={result.Domain} s={result.Selector}" : "a DKIM-Signature";

        var missing = Required.Where(t => !tags.ContainsKey(t)).ToList();
        if (missing.Count > 0 || !TryAlgorithm(result.Algorithm, out var algorithm) || !TryCanonicalization(result.Canonicalization, out var headerCanon, out var bodyCanon))
        {
            var what = missing.Count > 0 ? $"lacks the required tag(s) {string.Join(", ", missing)}" : $"has an unknown a= or c= value ({result.Algorithm}, {result.Canonicalization})";
            return Fail(result, "permerror", "dkim.malformed", findings, "RFC 6376 section 3.5", $"The DKIM signature {label} {what}; receivers ignore it. Fix the signer's configuration.");
        }

        Flag(result, algorithm, findings, label);

        // RFC 6376 section 3.5 (i=): the identity's domain must be d= or a subdomain of it.
        var identityDomain = result.Identity.Contains('@') ? result.Identity[(result.Identity.LastIndexOf('@') + 1)..].ToLowerInvariant() : result.Identity.ToLowerInvariant();
        if (identityDomain.Length > 0 && identityDomain != result.Domain && !identityDomain.EndsWith("." + result.Domain, StringComparison.Ordinal))
        {
            return Fail(result, "permerror", "dkim.identity-mismatch", findings, "RFC 6376 section 3.5",
                $"The DKIM signature {label} has i={result.Identity}, whose domain is not d={result.Domain} or a subdomain of it; receivers reject the signature. Drop i= or make it match d=.");
        }

        if (result.ExpiresAt is { } expires && expires < now)
        {
            return Fail(result, "fail", "dkim.expired", findings, "RFC 6376 section 3.5",
                $"The DKIM signature {label} expired at {expires:u} (x=); receivers treat it as invalid. Sign at send time and give x= enough margin for delivery delays.");
        }

        result.BodyHashMatches = DkimSignatureVerifier.BodyHashMatches(message, algorithm, bodyCanon, result.BodyLength is { } length ? (int)Math.Min(length, int.MaxValue) : -1, tags["bh"]);

        var key = await locator.FindAsync(result.Domain, result.Selector, cancellationToken).ConfigureAwait(false);
        result.KeyBits = key.RsaBits;
        switch (key.Status)
        {
            case DkimKeyStatus.NotEvaluated:
                result.Result = "not-evaluated";
                result.Reason = "dkim.not-evaluated";
                findings.Add(Finding.Of("dkim.not-evaluated", FindingSeverity.Info, FindingArea.Dkim, "RFC 6376 section 3.6.2",
                    $"The DKIM signature {label} was not verified: DNS is off; put the key record for {result.KeyName} in the --dns-overrides file or set Diagnostics:Dns=on." + BodyHashNote(result)));
                return result;
            case DkimKeyStatus.DnsFailed:
                return Fail(result, "temperror", "dkim.dns-error", findings, "RFC 6376 section 6.1.2",
                    $"The DKIM signature {label} could not be verified: the DNS query for {result.KeyName} failed; receivers would retry or defer.");
            case DkimKeyStatus.NoKey:
                return Fail(result, "permerror", "dkim.no-key", findings, "RFC 6376 section 6.1.2",
                    $"Not verifiable: no public key for {result.KeyName}; publish the selector's TXT record (v=DKIM1; k=rsa; p=...).");
            case DkimKeyStatus.Revoked:
                return Fail(result, "fail", "dkim.key-revoked", findings, "RFC 6376 section 3.6.1",
                    $"The key at {result.KeyName} is revoked (empty p=); sign with a current selector.");
            case DkimKeyStatus.Malformed:
                return Fail(result, "permerror", "dkim.key-malformed", findings, "RFC 6376 section 3.6.1",
                    $"The key record at {result.KeyName} cannot be read ({key.Detail}); republish it as v=DKIM1; k=rsa; p=<base64 public key>.");
        }

        if (key.RsaBits is < 1024)
        {
            return Fail(result, "fail", "dkim.key-too-short", findings, "RFC 8301 section 3.2",
                $"The key at {result.KeyName} has {key.RsaBits} bits; receivers must not accept RSA keys under 1024 bits. Publish a 2048-bit key.");
        }

        if (key.RsaBits is < 2048)
        {
            findings.Add(Finding.Of("dkim.key-short", FindingSeverity.Warning, FindingArea.Dkim, "RFC 8301 section 3.2",
                $"The key at {result.KeyName} has {key.RsaBits} bits; use 2048 bits (1024-bit keys are being phased out by large receivers)."));
        }

        if (result.BodyHashMatches == false)
        {
            return Fail(result, "fail", "dkim.body-hash-mismatch", findings, "RFC 6376 section 3.7",
                $"The DKIM signature {label} fails: the body hash (bh=) does not match the body; something changed the body after signing (a footer, line-ending or transfer-encoding rewrite). Sign last, after every change.");
        }

        bool verified;
        try
        {
            verified = await verifier.VerifyAsync(message, header, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            return Fail(result, "permerror", "dkim.malformed", findings, "RFC 6376 section 3.5", $"The DKIM signature {label} is malformed: {ex.Message}");
        }

        if (!verified)
        {
            return Fail(result, "fail", "dkim.signature-mismatch", findings, "RFC 6376 section 3.7",
                $"The DKIM signature {label} fails: the header signature (b=) does not verify; a signed header changed after signing, or the key at {result.KeyName} is not the signing key's pair.");
        }

        result.Result = "pass";
        findings.Add(Finding.Of("dkim.pass", FindingSeverity.Pass, FindingArea.Dkim, "RFC 6376 section 6.1.3",
            $"DKIM: 'PASS' with domain {result.Domain} (selector {result.Selector}, {result.Algorithm}{(key.RsaBits is { } bits ? $", {bits}-bit key" : "")})."));
        return result;
    }

    private static void Flag(DkimResult result, DkimSignatureAlgorithm algorithm, List<Finding> findings, string label)
    {
        if (result.BodyLength is not null)
        {
            findings.Add(Finding.Of("dkim.body-length", FindingSeverity.Warning, FindingArea.Dkim, "RFC 6376 section 8.2",
                $"The DKIM signature {label} signs only the first {result.BodyLength} body octets (l=); anything appended passes too, and some receivers distrust it. Drop l=."));
        }

        if (algorithm == DkimSignatureAlgorithm.RsaSha1)
        {
            findings.Add(Finding.Of("dkim.rsa-sha1", FindingSeverity.Error, FindingArea.Dkim, "RFC 8301 section 3.1",
                $"The DKIM signature {label} uses rsa-sha1, which receivers must not accept; sign with rsa-sha256."));
        }

        if (!result.SignedHeaders.Contains("from", StringComparer.OrdinalIgnoreCase))
        {
            findings.Add(Finding.Of("dkim.from-not-signed", FindingSeverity.Error, FindingArea.Dkim, "RFC 6376 section 5.4",
                $"The DKIM signature {label} does not sign the From header (h=); the signature is invalid without it. Add From to the signed headers."));
        }
    }

    private static DkimResult Fail(DkimResult result, string verdict, string code, List<Finding> findings, string rfc, string message)
    {
        result.Result = verdict;
        result.Reason = code;
        findings.Add(Finding.Of(code, verdict == "temperror" ? FindingSeverity.Warning : FindingSeverity.Error, FindingArea.Dkim, rfc, message));
        return result;
    }

    private static string BodyHashNote(DkimResult result) => result.BodyHashMatches switch
    {
        true => " The body hash (bh=) matches.",
        false => " The body hash (bh=) does not match: the body changed after signing.",
        _ => "",
    };

    private static DateTimeOffset? Seconds(string? value) =>
        long.TryParse(value, out var seconds) && seconds is >= 0 and < 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static bool TryAlgorithm(string value, out DkimSignatureAlgorithm algorithm)
    {
        algorithm = value switch
        {
            "rsa-sha256" => DkimSignatureAlgorithm.RsaSha256,
            "rsa-sha1" => DkimSignatureAlgorithm.RsaSha1,
            "ed25519-sha256" => DkimSignatureAlgorithm.Ed25519Sha256,
            _ => (DkimSignatureAlgorithm)(-1),
        };
        return Enum.IsDefined(algorithm);
    }

    private static bool TryCanonicalization(string value, out DkimCanonicalizationAlgorithm header, out DkimCanonicalizationAlgorithm body)
    {
        var parts = value.Split('/');
        header = body = DkimCanonicalizationAlgorithm.Simple;
        return parts.Length is 1 or 2
            && TryCanon(parts[0], out header)
            && (parts.Length == 1 || TryCanon(parts[1], out body));
    }

    private static bool TryCanon(string value, out DkimCanonicalizationAlgorithm canonicalization)
    {
        canonicalization = value == "relaxed" ? DkimCanonicalizationAlgorithm.Relaxed : DkimCanonicalizationAlgorithm.Simple;
        return value is "relaxed" or "simple";
    }
}
