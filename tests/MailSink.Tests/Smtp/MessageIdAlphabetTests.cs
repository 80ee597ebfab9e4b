using MailSink.Domain;
using Microsoft.Extensions.Time.Testing;
using ClientMessageIds = MailSink.Client.MessageIds;

namespace MailSink.Tests.Smtp;

/// <summary>
/// The ID alphabet of the IDs SMTP hands out has one owner in the server (MessageIdGenerator); the client package keeps a copy because it does
/// not reference the server, and these tests keep the copy honest.
/// </summary>
public sealed class MessageIdAlphabetTests
{
    [Fact]
    public void The_client_spells_the_alphabet_as_the_server_does()
    {
        Assert.Equal(MessageIdGenerator.Alphabet, ClientMessageIds.Alphabet);
    }

    [Fact]
    public void Generated_ids_are_well_formed_and_the_clients_previous_id_sorts_just_before_each()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var generator = new MessageIdGenerator(clock);
        string? last = null;
        for (var i = 0; i < 2000; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(i % 3));
            var id = generator.Next();

            Assert.True(MessageIdGenerator.IsWellFormed(id), id);
            Assert.True(MessageIdGenerator.IsWellFormed(id.ToLowerInvariant()), id);
            var previous = ClientMessageIds.Previous(id);
            Assert.True(string.CompareOrdinal(previous, id) < 0, $"{previous} does not sort before {id}");
            if (last is not null)
            {
                Assert.True(string.CompareOrdinal(last, id) < 0, $"{id} does not sort after {last}");
                Assert.True(string.CompareOrdinal(last, previous) <= 0, $"{previous} (before {id}) sorts before the earlier id {last}");
            }

            last = id;
        }

        Assert.False(MessageIdGenerator.IsWellFormed("01JDXABCDEFGHIJU"));
        Assert.False(MessageIdGenerator.IsWellFormed("01JDX"));
    }
}
