namespace MailSink.Tests.Mime;

/// <summary>The shared .eml corpus, copied next to the test assembly (tests/TestData/corpus).</summary>
internal static class Corpus
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "TestData", "corpus");

    /// <summary>Every message file, as paths relative to <see cref="Root"/> ("mailpit/plain-text.eml").</summary>
    public static IEnumerable<string> MessageFiles =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(p) is not ("LICENSE" or "README.md"))
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> MessageFileData => new(MessageFiles);

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(Root, relativePath));

    /// <summary>The corpus files use LF; SMTP delivers CRLF. Use this when a test is not about line endings.</summary>
    public static byte[] ReadAsCrlf(string relativePath) => ToCrlf(File.ReadAllText(Path.Combine(Root, relativePath)));

    public static byte[] ToCrlf(string text) =>
        System.Text.Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));
}
