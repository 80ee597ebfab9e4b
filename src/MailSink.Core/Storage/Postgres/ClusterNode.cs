using System.Security.Cryptography;

namespace MailSink.Storage.Postgres;

/// <summary>
/// This process among the nodes sharing one PostgreSQL database: a random id made at start-up, carried in every
/// notification it sends so it can ignore its own (it already published them locally, after the commit).
/// </summary>
internal sealed class ClusterNode
{
    /// <summary>12 hex digits: enough that two live nodes never draw the same (one chance in 2^48 per pair).</summary>
    public string Id { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
