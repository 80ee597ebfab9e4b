using System.Diagnostics;
using System.Net.Sockets;
using MailSink.Tests.TestHost;

namespace MailSink.Tests.Hosting;

/// <summary>
/// A typo stops start-up instead of being ignored: the real mailsink process, exit 2 and one line naming the
/// switch, variable or key and the closest known one. Framework keys and the documented spellings still start it.
/// </summary>
public sealed class UnknownOptionsTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "mailsink-unknown-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("--smpt-port 2525", "mailsink: unknown option --smpt-port; did you mean --smtp-port?")]
    [InlineData("--bogus-flag", "mailsink: unknown option --bogus-flag (mailsink --help lists the options)")]
    [InlineData("--Smtp:Submision:Port=2587", "mailsink: unknown option --Smtp:Submision:Port; did you mean --Smtp:Submission:Port?")]
    [InlineData("--max-mesage-size=2048", "mailsink: unknown option --max-mesage-size; did you mean --max-message-size?")]
    [InlineData("--Loging:LogLevel:Default=Debug", "mailsink: unknown option --Loging:LogLevel:Default; did you mean --Logging:LogLevel:Default?")]
    [InlineData("--Web:AllowedOrigins=http://localhost:5173", "mailsink: unknown option --Web:AllowedOrigins; did you mean --Web:AllowedOrigins:0?")]
    [InlineData("sendmial", "mailsink: unexpected argument 'sendmial'; did you mean sendmail?")]
    [InlineData("--http-port", "mailsink: option --http-port needs a value")]
    public async Task A_mistyped_switch_stops_start_up_naming_it_and_the_closest_known_one(string arguments, string expected)
    {
        var (exit, stdout, stderr) = await MailSinkCommand.RunAsync([.. BaseArguments(), .. arguments.Split(' ')]);

        Assert.Equal(2, exit);
        Assert.Equal(expected, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_mistyped_MAILSINK_variable_stops_start_up_naming_the_variable_it_meant()
    {
        var (exit, _, stderr) = await MailSinkCommand.RunAsync(BaseArguments(), environment: new Dictionary<string, string> { ["MAILSINK_Smtp__Smtp__Prot"] = "2525" });

        Assert.Equal(2, exit);
        Assert.Equal("mailsink: unknown environment variable MAILSINK_Smtp__Smtp__Prot; did you mean MAILSINK_Smtp__Smtp__Port?", stderr.Trim());
    }

    [Fact]
    public async Task A_mistyped_key_in_the_content_root_s_appsettings_json_stops_start_up_naming_the_file()
    {
        // The content root is the binary's folder unless --contentRoot names another (the working directory's
        // appsettings.json belongs to whatever application the developer is in: DataFolderTests).
        Directory.CreateDirectory(_data);
        var settings = Path.Combine(_data, "appsettings.json");
        await File.WriteAllTextAsync(settings, """{ "Logging": { "LogLevel": { "Default": "Warning" } }, "MyApp": { "Smtp": 1 }, "Storage": { "MaxMesages": 10 } }""");

        var (exit, _, stderr) = await MailSinkCommand.RunAsync([.. BaseArguments(), "--contentRoot", _data]);

        Assert.Equal(2, exit);
        Assert.Equal($"mailsink: unknown option Storage:MaxMesages in {settings}; did you mean Storage:MaxMessages?", stderr.Trim());
    }

    [Fact]
    public async Task Fields_of_list_items_given_as_switches_start_the_server_and_are_bound()
    {
        var httpPort = MailSinkCommand.FreePort();
        string[] args = [.. BaseArguments(), "--Web:HttpPort", $"{httpPort}", "--smtp-port", $"{MailSinkCommand.FreePort()}", "--Smtp:Submission:Enabled=false", "--Smtp:Smtps:Enabled=false",
            "--Faults:Rules:0:Preset=user-unknown", "--Faults:Rules:0:Match:Recipient=*@bounce.example", "--Faults:Rules:1:Preset=greylist",
            "--Smtp:Users:0:Name=ann", "--Smtp:Users:0:Password=secret", "--Smtp:Smtp:RequireAuth=true"];
        using var process = Process.Start(MailSinkCommand.StartInfo(args))!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var rules = await MailSinkApp.WaitUntilAsync(async () =>
            {
                Assert.False(process.HasExited, $"mailsink exited: {(process.HasExited ? await stderr : "")}");
                try
                {
                    return await http.GetStringAsync($"http://127.0.0.1:{httpPort}/api/v1/faults");
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return null;
                }
            }, "the faults API of a mailsink started with --Faults:Rules:N:* switches", TimeSpan.FromSeconds(60));

            Assert.Contains("\"Preset\":\"user-unknown\"", rules, StringComparison.Ordinal);
            Assert.Contains("\"Recipient\":\"*@bounce.example\"", rules, StringComparison.Ordinal);
            Assert.Contains("\"Preset\":\"greylist\"", rules, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Framework_keys_other_MAILSINK_variables_and_both_variable_spellings_still_start_the_server()
    {
        var (smtpPort, httpPort) = (MailSinkCommand.FreePort(), MailSinkCommand.FreePort());
        var environment = new Dictionary<string, string>
        {
            // The README's spelling and the all-capitals one: configuration keys ignore case, even on Linux.
            ["MAILSINK_Web__HttpPort"] = $"{httpPort}",
            ["MAILSINK_SMTP__SMTP__PORT"] = $"{smtpPort}",
            ["MAILSINK_SENDMAIL_SERVER"] = "127.0.0.1:1",
            ["MAILSINK_E2E_SDK_IMAGE"] = "not an option, and not under a MailSink section",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        };
        string[] args = [.. BaseArguments(), "--Smtp:Submission:Enabled=false", "--Smtp:Smtps:Enabled=false", "--Logging:LogLevel:Default=Warning", "--environment", "Development"];
        using var process = Process.Start(MailSinkCommand.StartInfo(args, environment))!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(process.HasExited, $"mailsink exited {(process.HasExited ? process.ExitCode : 0)}: {(process.HasExited ? await stderr : "")}");
                try
                {
                    using var ready = await http.GetAsync($"http://127.0.0.1:{httpPort}/readyz");
                    if (ready.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "mailsink did not become ready on the port given as MAILSINK_Web__HttpPort");
                await Task.Delay(200);
            }

            using var smtp = new TcpClient();
            await smtp.ConnectAsync("127.0.0.1", smtpPort);
            using var reader = new StreamReader(smtp.GetStream());
            Assert.StartsWith("220 ", await reader.ReadLineAsync());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private string[] BaseArguments() => ["--bind", "127.0.0.1", "--data-dir", Path.Combine(_data, "data"), "--storage", "memory"];
}
