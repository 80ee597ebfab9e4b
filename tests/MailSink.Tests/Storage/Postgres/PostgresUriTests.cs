using MailSink.Storage.Postgres;
using Npgsql;

namespace MailSink.Tests.Storage.Postgres;

public sealed class PostgresUriTests
{
    [Fact]
    public void A_full_uri_maps_to_the_connection_settings_with_escapes_decoded()
    {
        var settings = PostgresUri.Parse("postgresql://mail%40sink:p%3Ass%2Fw@db.example:6543/in%20box?sslmode=require&application_name=node-a&connect_timeout=5");

        Assert.Equal(("db.example", 6543, "in box"), (settings.Host, settings.Port, settings.Database));
        Assert.Equal(("mail@sink", "p:ss/w"), (settings.Username, settings.Password));
        Assert.Equal((SslMode.Require, "node-a", 5), (settings.SslMode, settings.ApplicationName, settings.Timeout));
    }

    [Theory]
    [InlineData("postgres://u@[::1]/db", "::1", 5432)]
    [InlineData("POSTGRESQL://u:p@localhost/db", "localhost", 5432)]
    public void Hosts_and_default_port(string uri, string host, int port)
    {
        var settings = PostgresUri.Parse(uri);
        Assert.Equal((host, port), (settings.Host, settings.Port));
    }

    [Theory]
    [InlineData("postgresql://u:secret@h:5432/db", "postgresql://u:***@h:5432/db")]
    [InlineData("postgresql://u@h/db", "postgresql://u@h/db")]
    public void Redact_hides_only_the_password(string uri, string expected) => Assert.Equal(expected, PostgresUri.Redact(uri));

    [Theory]
    [InlineData("mailsink.db", false)]
    [InlineData("memory", false)]
    [InlineData("postgres://h/db", true)]
    [InlineData("postgresql://h/db", true)]
    public void Only_postgres_schemes_select_the_provider(string path, bool expected) => Assert.Equal(expected, PostgresUri.IsPostgres(path));
}
