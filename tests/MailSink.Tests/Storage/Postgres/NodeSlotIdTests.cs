using MailSink.Domain;
using Microsoft.Extensions.Time.Testing;

namespace MailSink.Tests.Storage.Postgres;

/// <summary>Nodes sharing a PostgreSQL store each take an ID slot: their IDs never meet, even made in the same millisecond.</summary>
public sealed class NodeSlotIdTests
{
    [Fact]
    public void Two_nodes_with_different_slots_never_make_the_same_id_and_each_stays_in_time_order()
    {
        // A frozen clock: every ID of both nodes falls in the same few milliseconds, the worst case for collisions.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
        var a = new MessageIdGenerator(time);
        var b = new MessageIdGenerator(time);
        a.UseNodeSlot(1);
        b.UseNodeSlot(2);

        var idsA = Enumerable.Range(0, 200_000).Select(_ => a.Next()).ToList();
        var idsB = Enumerable.Range(0, 200_000).Select(_ => b.Next()).ToList();

        Assert.Empty(idsA.Intersect(idsB, StringComparer.Ordinal));
        Assert.Equal(idsA.Order(StringComparer.Ordinal), idsA);
        Assert.Equal(idsB.Order(StringComparer.Ordinal), idsB);
        Assert.Equal(200_000, idsA.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_slot_is_the_top_byte_of_the_counter()
    {
        var generator = new MessageIdGenerator(new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000)));
        generator.UseNodeSlot(0xAB);

        var value = Decode(generator.Next());

        Assert.Equal(0xABu, (uint)(value >> 24) & 0xFF);
    }

    private static ulong Decode(string id)
    {
        UInt128 value = 0;
        foreach (var c in id)
        {
            value = value << 5 | (uint)MessageIdGenerator.Alphabet.IndexOf(c, StringComparison.Ordinal);
        }

        return (ulong)(value & 0xFFFFFFFF);
    }
}
