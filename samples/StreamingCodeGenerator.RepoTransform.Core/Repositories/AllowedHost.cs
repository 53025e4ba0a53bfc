using System.Net;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>An entry of <see cref="RepositoryAccess.AllowedHosts"/>: a canonical host, and the one port it allows or any.</summary>
internal readonly record struct AllowedHost(string Host, int? Port)
{
    public static bool TryParse(string text, out AllowedHost allowed)
    {
        allowed = default;
        string trimmed = text.Trim();
        if (trimmed.Length == 0 || !HostName.TrySplitPort(trimmed, out string rawHost, out int? port)
            || !HostName.TryRead(rawHost, out string host, out IPAddress? _, out _))
        {
            return false;
        }

        allowed = new AllowedHost(host, port);
        return true;
    }

    public bool Matches(string host, int port) => Host == host && (Port is null || Port == port);
}
