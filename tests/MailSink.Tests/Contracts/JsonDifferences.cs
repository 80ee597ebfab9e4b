using System.Text.Json.Nodes;

namespace MailSink.Tests.Contracts;

/// <summary>Where two JSON documents differ, as JSON paths a person can read ("$.Envelope.Tls: missing").</summary>
internal static class JsonDifferences
{
    public static List<string> Between(JsonNode? expected, JsonNode? actual)
    {
        var found = new List<string>();
        Compare("$", expected, actual, found);
        return found;
    }

    private static void Compare(string path, JsonNode? expected, JsonNode? actual, List<string> found)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var (key, value) in e)
                {
                    if (!a.ContainsKey(key))
                    {
                        found.Add($"{path}.{key}: missing (expected {value?.ToJsonString() ?? "null"})");
                    }
                    else
                    {
                        Compare($"{path}.{key}", value, a[key], found);
                    }
                }

                found.AddRange(a.Where(p => !e.ContainsKey(p.Key)).Select(p => $"{path}.{p.Key}: unexpected ({p.Value?.ToJsonString() ?? "null"})"));
                break;
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    Compare($"{path}[{i}]", e[i], a[i], found);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    found.Add($"{path}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}");
                }

                break;
        }
    }
}
