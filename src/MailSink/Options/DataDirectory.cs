using Microsoft.Extensions.Options;

namespace MailSink.Options;

/// <summary>The resolved data folder (created on first use): the database and the generated certificate live here.</summary>
public sealed class DataDirectory
{
    public DataDirectory(IOptions<ServerOptions> options)
    {
        var configured = options.Value.DataDirectory;
        Path = string.IsNullOrWhiteSpace(configured)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "MailSink")
            : System.IO.Path.GetFullPath(configured);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
}
