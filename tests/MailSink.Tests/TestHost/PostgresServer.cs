using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MailSink.Tests.TestHost;

/// <summary>
/// A throwaway PostgreSQL server for one test run: Debian's binaries (/usr/lib/postgresql/N/bin), initdb into a
/// folder under /tmp/mailsink-tests, pg_ctl on 127.0.0.1 at a free port with its unix socket inside that folder
/// (never the system service or port 5432). As root the server runs as the <c>postgres</c> user (PostgreSQL refuses
/// root). Started lazily by the first test that asks for a database, so a run without PostgreSQL installed only
/// fails (under CI=true) or skips (<see cref="PostgresFactAttribute"/>) the tests that need it. Shared through
/// <see cref="PostgresCollection"/>; each test class takes a fresh database.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>The superuser initdb creates; tests connect as it with a password (scram-sha-256 over TCP).</summary>
    public const string User = "mailsink";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _folder;
    private string? _bin;
    private int _databases;

    /// <summary>The random password of <see cref="User"/>.</summary>
    public string Password { get; } = Guid.NewGuid().ToString("N");

    public int Port { get; private set; }

    /// <summary>The folder holding the server binaries, or null when PostgreSQL is not installed.</summary>
    public static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Creates an empty database and returns the URI MailSink takes as --storage.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        await EnsureStartedAsync();
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 20)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return Uri(name);
    }

    /// <summary>The URI of a database on this server (<paramref name="password"/> defaults to the right one).</summary>
    public string Uri(string database, string? password = null) =>
        $"postgresql://{User}:{password ?? Password}@127.0.0.1:{Port}/{database}";

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = User,
            Password = Password,
            Database = database,
            Pooling = false,
        }.ConnectionString;

    public async Task DisposeAsync()
    {
        if (_folder is null || _bin is null)
        {
            return;
        }

        // Immediate: the test run is over and nothing in these databases is kept.
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "stop"]);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    private string DataFolder => Path.Combine(_folder!, "data");

    private async Task EnsureStartedAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (Port != 0)
            {
                return;
            }

            _bin = FindBinaries() ?? throw new InvalidOperationException(
                "PostgreSQL server binaries are not installed (/usr/lib/postgresql/*/bin/initdb): install Debian's postgresql package (CI does so in .ci/run).");
            _folder = Path.Combine(Path.GetTempPath(), "mailsink-tests", $"pg-{Guid.NewGuid():N}");
            Directory.CreateDirectory(Path.Combine(_folder, "sock"));
            var passwordFile = Path.Combine(_folder, "pw");
            await File.WriteAllTextAsync(passwordFile, Password);
            if (IsRoot)
            {
                await ChownToPostgresAsync(_folder);
            }

            var (code, output) = await RunAsync(
                Path.Combine(_bin, "initdb"),
                ["-D", DataFolder, "-U", User, $"--pwfile={passwordFile}", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
            Assert.True(code == 0, $"initdb failed ({code}): {output}");

            var port = FreePort();

            // fsync off: a test server's data is thrown away at the end, and the 2-core CI box is shared.
            var settings = $"-c listen_addresses=127.0.0.1 -p {port} -k {Path.Combine(_folder, "sock")} -c fsync=off -c max_connections=200";
            (code, output) = await RunAsync(
                Path.Combine(_bin, "pg_ctl"), ["-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-o", settings, "-w", "-t", "60", "start"]);
            if (code != 0)
            {
                var log = File.Exists(Path.Combine(_folder, "server.log")) ? await File.ReadAllTextAsync(Path.Combine(_folder, "server.log")) : "";
                Assert.Fail($"pg_ctl start failed ({code}): {output}\n{log}");
            }

            Port = port;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task ChownToPostgresAsync(string folder)
    {
        var (code, output) = await ExternalTool.RunAsync("chown", ["-R", "postgres:postgres", folder]);
        Assert.True(code == 0, $"chown postgres {folder} failed: {output}");
    }

    /// <summary>As root, through runuser as the postgres user: PostgreSQL refuses to run as root.</summary>
    private static Task<(int ExitCode, string Output)> RunAsync(string program, string[] arguments) =>
        IsRoot
            ? ExternalTool.RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments], TimeSpan.FromSeconds(120))
            : ExternalTool.RunAsync(program, arguments, TimeSpan.FromSeconds(120));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// The one PostgreSQL server of a test run, shared by every class that needs one. Not run beside other collections:
/// the cross-node tests bound a push at 200 ms and their nodes live in this process, whose thread pool the CPU-heavy
/// collections (fuzzing, concurrent store load) kept busy enough in one CI run to delay a push by 1.9 s.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}

/// <summary>
/// A fact that needs PostgreSQL's server binaries: skipped with the reason when they are missing, unless CI=true,
/// where the test runs and fails naming the package (as <see cref="ToolFactAttribute"/>).
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.FindBinaries() is null && !ExternalTool.IsCi)
        {
            Skip = "PostgreSQL is not installed (/usr/lib/postgresql/*/bin); install Debian's postgresql package to run this test (under CI=true its absence is a failure).";
        }
    }
}
