namespace StreamingCodeGeneration.RepoTransform;

/// <summary>What a finished git command printed and returned.</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Output">Standard output (UTF-8).</param>
/// <param name="Error">Standard error (UTF-8).</param>
internal readonly record struct GitResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first non-empty line of standard error, for one-line messages.</summary>
    public string FirstErrorLine
    {
        get
        {
            foreach (string line in Error.Split('\n'))
            {
                string trimmed = line.Trim();
                if (trimmed.Length > 0)
                {
                    return trimmed;
                }
            }

            return $"git exited with code {ExitCode}";
        }
    }
}
