using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace MailSink.Tests.Diagnostics;

/// <summary>Real DKIM keys made in the test, their DNS records, and MimeKit's signer.</summary>
public sealed class DkimKeys
{
    private DkimKeys(AsymmetricCipherKeyPair pair, string txt)
    {
        Pair = pair;
        Txt = txt;
    }

    public AsymmetricCipherKeyPair Pair { get; }

    /// <summary>The key record's value (v=DKIM1; k=...; p=...).</summary>
    public string Txt { get; }

    public static DkimKeys Rsa(int bits)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), bits));
        var pair = generator.GenerateKeyPair();
        var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded();
        return new DkimKeys(pair, $"v=DKIM1; k=rsa; p={Convert.ToBase64String(spki)}");
    }

    public static DkimKeys Ed25519()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var raw = ((Ed25519PublicKeyParameters)pair.Public).GetEncoded();
        return new DkimKeys(pair, $"v=DKIM1; k=ed25519; p={Convert.ToBase64String(raw)}");
    }

    /// <summary>The record as an overrides line, split into quoted strings of at most 100 characters as a zone file would hold it.</summary>
    public string ZoneLine(string selector, string domain)
    {
        var chunks = Enumerable.Range(0, (Txt.Length + 99) / 100).Select(i => $"\"{Txt.Substring(i * 100, Math.Min(100, Txt.Length - (i * 100)))}\"");
        return $"{selector}._domainkey.{domain} TXT {string.Join(' ', chunks)}";
    }

    public DkimSigner Signer(string domain, string selector, DkimSignatureAlgorithm algorithm = DkimSignatureAlgorithm.RsaSha256) =>
        new(Pair.Private, domain, selector, algorithm)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };

    public static readonly HeaderId[] SignedHeaders = [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId];

    /// <summary>The message's bytes as an SMTP client sends them (CRLF).</summary>
    public static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, stream);
        return stream.ToArray();
    }

    /// <summary>Replaces the first occurrence of <paramref name="from"/> in the bytes (a change after signing).</summary>
    public static byte[] Replace(byte[] raw, string from, string to)
    {
        var text = Encoding.Latin1.GetString(raw);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' is not in the message");
        return Encoding.Latin1.GetBytes(text[..at] + to + text[(at + from.Length)..]);
    }
}
