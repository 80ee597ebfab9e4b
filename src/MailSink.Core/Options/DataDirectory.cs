using Microsoft.Extensions.Options;

namespace MailSink.Options;

/// <summary>
/// The one owner of where MailSink keeps its files: the data folder (created on first use) with the
/// generated certificate, and the LiteDB file. Nothing else computes these paths, so the certificate,
/// the database and <c>/api/v1/info</c> can never disagree, whatever the working directory.
/// </summary>
internal sealed class DataDirectory
{
    /// <summary>The database's file name inside the data folder when Storage:Path is empty.</summary>
    public const string DatabaseFileName = "mailsink.db";

    private const string FolderName = "MailSink";

    public DataDirectory(IOptions<ServerOptions> server, IOptions<StorageOptions> storage)
    {
        Path = ResolveFolder(server.Value.DataDirectory);
        DatabasePath = ResolveDatabase(storage.Value, Path);
        StorageName = DatabasePath ?? (storage.Value.IsPostgres ? Storage.Postgres.PostgresUri.Redact(storage.Value.Path) : "memory");
        Ensure(Path, "Server:DataDirectory (--data-dir)");
    }

    /// <summary>The data folder's absolute path; it exists once this object exists.</summary>
    public string Path { get; }

    /// <summary>The LiteDB file's absolute path, or null for the in-memory store and PostgreSQL.</summary>
    public string? DatabasePath { get; }

    /// <summary>Where messages are kept, for /api/v1/info: the file, "memory", or the PostgreSQL URI without its password.</summary>
    public string StorageName { get; }

    /// <summary>
    /// The configured folder, else the user's data folder ($XDG_DATA_HOME or ~/.local/share on Linux,
    /// %LOCALAPPDATA% on Windows) + "MailSink". DoNotVerify matters: with the default option .NET returns
    /// "" when that folder does not exist yet (a new CI user, a fresh container user), and an empty root
    /// silently put the database under the working directory.
    /// </summary>
    public static string ResolveFolder(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return System.IO.Path.GetFullPath(configured);
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root) || !System.IO.Path.IsPathRooted(root))
        {
            throw new DataPathException(
                "Server:DataDirectory (--data-dir) is not set and this account has no home folder to default to: pass --data-dir <folder>");
        }

        return System.IO.Path.Combine(root, FolderName);
    }

    /// <summary>Storage:Path when set (relative to the working directory, as a command-line path is), else mailsink.db in the data folder.</summary>
    public static string? ResolveDatabase(StorageOptions storage, string dataFolder) =>
        storage.IsMemory || storage.IsPostgres ? null
        : !string.IsNullOrWhiteSpace(storage.Path) ? System.IO.Path.GetFullPath(storage.Path)
        : System.IO.Path.Combine(dataFolder, DatabaseFileName);

    /// <summary>Creates <paramref name="folder"/> if needed; a failure names the folder and the option that chose it.</summary>
    public static void Ensure(string folder, string option)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataPathException($"cannot create the folder {folder} chosen by {option}: {ex.Message}", ex);
        }
    }
}
