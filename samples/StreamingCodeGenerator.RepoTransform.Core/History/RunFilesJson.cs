using System.Text;
using System.Text.Json;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The <c>files</c> column: <c>[{"path":"a.py","change":"modified","added":3,"removed":1}, …]</c>.</summary>
internal static class RunFilesJson
{
    public static string Write(IReadOnlyList<FileChange> files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (FileChange file in files)
            {
                writer.WriteStartObject();
                writer.WriteString("path", file.Path);
                writer.WriteString("change", file.Kind.ToString().ToLowerInvariant());
                writer.WriteNumber("added", file.LinesAdded);
                writer.WriteNumber("removed", file.LinesRemoved);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static IReadOnlyList<FileChange> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var files = new List<FileChange>();
        foreach (JsonElement element in document.RootElement.EnumerateArray())
        {
            files.Add(new FileChange(
                element.GetProperty("path").GetString() ?? string.Empty,
                Enum.Parse<FileChangeKind>(element.GetProperty("change").GetString() ?? nameof(FileChangeKind.Modified), ignoreCase: true),
                element.GetProperty("added").GetInt32(),
                element.GetProperty("removed").GetInt32()));
        }

        return files;
    }
}
