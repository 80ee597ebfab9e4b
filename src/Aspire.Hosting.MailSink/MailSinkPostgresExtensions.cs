using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Points MailSink at PostgreSQL instead of its embedded LiteDB file, so several MailSink nodes can share one inbox.</summary>
public static class MailSinkPostgresExtensions
{
    /// <summary>The environment variable MailSink reads its storage location from (<c>--storage</c>).</summary>
    public const string StoragePathVariable = "MAILSINK_Storage__Path";

    /// <summary>
    /// Stores MailSink's mail in a PostgreSQL database modelled in the app host: its
    /// <c>postgresql://user:password@host:port/database</c> URI becomes MailSink's storage, and MailSink waits for the
    /// database to be healthy before it starts (MailSink applies its own schema migrations at start-up).
    /// </summary>
    /// <param name="builder">The MailSink resource builder.</param>
    /// <param name="database">The database, from <c>AddPostgres(...).AddDatabase(...)</c>.</param>
    /// <returns>The resource builder.</returns>
    /// <example>
    /// <code>
    /// var mailDb = builder.AddPostgres("pg").AddDatabase("maildb");
    /// var mail = builder.AddMailSink("mail").WithPostgres(mailDb);
    /// </code>
    /// </example>
    public static IResourceBuilder<MailSinkResource> WithPostgres(this IResourceBuilder<MailSinkResource> builder, IResourceBuilder<PostgresDatabaseResource> database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);

        // The URI form, not the resource's Npgsql keyword connection string: --storage tells a file path, "memory"
        // and PostgreSQL apart by the postgresql:// scheme. Aspire resolves the host for the container's network.
        return builder
            .WithEnvironment(StoragePathVariable, database.Resource.UriExpression)
            .WithRelationship(database.Resource, "Reference")
            .WaitFor(database);
    }

    /// <summary>
    /// Stores MailSink's mail in an existing PostgreSQL server outside the app host (a shared staging database,
    /// a managed offering), given as <c>postgresql://user:password@host:port/database</c>.
    /// </summary>
    /// <param name="builder">The MailSink resource builder.</param>
    /// <param name="connectionUri">The database URI; <c>postgres://</c> is accepted as well.</param>
    /// <returns>The resource builder.</returns>
    /// <exception cref="ArgumentException">The URI is not an absolute postgresql:// or postgres:// URI.</exception>
    public static IResourceBuilder<MailSinkResource> WithPostgres(this IResourceBuilder<MailSinkResource> builder, string connectionUri)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionUri);
        if (!Uri.TryCreate(connectionUri, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres") || string.IsNullOrEmpty(uri.Host))
        {
            // The URI may carry a password: name the shape that is wanted, never echo the value.
            throw new ArgumentException("Give the database as postgresql://user:password@host:port/database.", nameof(connectionUri));
        }

        return builder.WithEnvironment(StoragePathVariable, connectionUri);
    }

    /// <summary>
    /// Stores MailSink's mail in the PostgreSQL database whose URI is a parameter (a secret kept out of the app host's
    /// code, e.g. <c>builder.AddParameter("mail-db-uri", secret: true)</c>).
    /// </summary>
    /// <param name="builder">The MailSink resource builder.</param>
    /// <param name="connectionUri">The parameter holding <c>postgresql://user:password@host:port/database</c>.</param>
    /// <returns>The resource builder.</returns>
    public static IResourceBuilder<MailSinkResource> WithPostgres(this IResourceBuilder<MailSinkResource> builder, IResourceBuilder<ParameterResource> connectionUri)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionUri);
        return builder.WithEnvironment(StoragePathVariable, connectionUri);
    }
}
