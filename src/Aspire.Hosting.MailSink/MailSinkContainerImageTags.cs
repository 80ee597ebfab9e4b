namespace Aspire.Hosting.MailSink;

/// <summary>The image <see cref="MailSinkBuilderExtensions.AddMailSink"/> runs unless told otherwise.</summary>
internal static class MailSinkContainerImageTags
{
    public const string Registry = "docker.io";

    public const string Image = "mailsink/mailsink";

    public const string Tag = "latest";
}
