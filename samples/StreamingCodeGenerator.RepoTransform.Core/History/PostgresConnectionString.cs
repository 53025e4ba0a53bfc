using Npgsql;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Reads the two spellings of a PostgreSQL connection: a <c>postgres://</c> URL, or Npgsql's <c>Host=…;</c> key-value form.</summary>
internal static class PostgresConnectionString
{
    /// <summary>Whether a <c>--history</c> value names PostgreSQL rather than a SQLite file.</summary>
    public static bool IsPostgres(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string text = value.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (string part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part[..equals].Trim() is var key
                && (key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.Equals("Server", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Turns either spelling into Npgsql's key-value form.</summary>
    /// <exception cref="HistoryException">The value is not a valid connection string or URL.</exception>
    public static string ToNpgsql(string value)
    {
        string text = value.Trim();
        try
        {
            if (!text.Contains("://", StringComparison.Ordinal))
            {
                return new NpgsqlConnectionStringBuilder(text).ConnectionString;
            }

            var uri = new Uri(text);
            var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
            if (!uri.IsDefaultPort && uri.Port > 0)
            {
                builder.Port = uri.Port;
            }

            if (uri.UserInfo.Length > 0)
            {
                string[] user = uri.UserInfo.Split(':', 2);
                builder.Username = Uri.UnescapeDataString(user[0]);
                if (user.Length == 2)
                {
                    builder.Password = Uri.UnescapeDataString(user[1]);
                }
            }

            string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
            if (database.Length > 0)
            {
                builder.Database = database;
            }

            foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = pair.Split('=', 2);
                string key = Uri.UnescapeDataString(parts[0]);
                string setting = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = setting;
            }

            return builder.ConnectionString;
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException or KeyNotFoundException or FormatException)
        {
            // The message of these exceptions never repeats the password; ours names only what is wrong.
            throw new HistoryException($"The PostgreSQL connection string is not valid: {ex.Message}", ex);
        }
    }
}
