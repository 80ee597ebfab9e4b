using System.Globalization;
using System.Text.Json;

namespace MailSink.Api.Compat;

/// <summary>
/// MailHog's release body (its config.OutgoingSMTP): Name, Save, Email, Host, Port, Username, Password, Mechanism.
/// Go's JSON decoder matches keys in any case, and clients send the port as a string ("1025", as MailHog declares
/// it) or a number; both are read here the same way.
/// </summary>
internal sealed record MailHogReleaseRequest(string Name, bool Save, string Email, string Host, int? Port, string Username, string Password, string Mechanism)
{
    /// <summary>Parses the body; returns null and names the bad field in <paramref name="error"/> when it cannot.</summary>
    public static MailHogReleaseRequest? Parse(ReadOnlySpan<byte> json, out string? field, out string? error)
    {
        field = null;
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException ex)
        {
            (field, error) = ("body", $"The request body must be a JSON object such as {{\"host\":\"smtp.example.com\",\"port\":\"25\",\"email\":\"ann@example.com\"}}: {ex.Message}");
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                (field, error) = ("body", "The request body must be a JSON object.");
                return null;
            }

            var values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.Clone();
            }

            int? port = null;
            if (values.TryGetValue("port", out var p) && p.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                var text = p.ValueKind == JsonValueKind.Number ? p.GetRawText() : p.ValueKind == JsonValueKind.String ? p.GetString()!.Trim() : null;
                if (text is null || text.Length > 0 && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 65535))
                {
                    (field, error) = ("port", $"'port' must be a port number 1-65535 (a string or a number), got {p.GetRawText()}.");
                    return null;
                }

                port = text.Length > 0 ? int.Parse(text, CultureInfo.InvariantCulture) : null;
            }

            var save = values.TryGetValue("save", out var s) && s.ValueKind == JsonValueKind.True;
            return new MailHogReleaseRequest(Text("name"), save, Text("email"), Text("host"), port, Text("username"), Text("password"), Text("mechanism"));

            string Text(string key) =>
                values.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : "";
        }
    }
}
