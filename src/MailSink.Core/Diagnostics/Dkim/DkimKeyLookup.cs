using Org.BouncyCastle.Crypto;

namespace MailSink.Diagnostics.Dkim;

/// <summary>What looking up selector._domainkey.domain gave.</summary>
internal sealed record DkimKeyLookup(DkimKeyStatus Status, AsymmetricKeyParameter? Key, int? RsaBits, string Detail);
