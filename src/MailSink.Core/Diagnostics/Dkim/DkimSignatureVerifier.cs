using MimeKit;
using MimeKit.Cryptography;

namespace MailSink.Diagnostics.Dkim;

/// <summary>MimeKit's verifier, with its body-hash step exposed so a failure can be told apart from a header-signature failure.</summary>
internal sealed class DkimSignatureVerifier : DkimVerifier
{
    private static readonly FormatOptions Options = CreateOptions();

    public DkimSignatureVerifier(IDkimPublicKeyLocator locator)
        : base(locator)
    {
        // RFC 8301 section 3.1 forbids rsa-sha1; it is verified anyway so the finding can say whether it would pass.
        Enable(DkimSignatureAlgorithm.RsaSha1);
    }

    public static bool BodyHashMatches(MimeMessage message, DkimSignatureAlgorithm algorithm, DkimCanonicalizationAlgorithm canonicalization, int maxLength, string bodyHash) =>
        VerifyBodyHash(Options, message, algorithm, canonicalization, maxLength, bodyHash);

    private static FormatOptions CreateOptions()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }
}
