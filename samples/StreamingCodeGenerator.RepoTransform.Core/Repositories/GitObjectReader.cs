using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Reads blobs from a repository's object store with one long-lived <c>git cat-file --batch</c>, so a clone needs no
/// checkout: only the files a run reads are ever expanded, and only into memory, within the run's read limits.
/// Not thread-safe: one run reads one object at a time.
/// </summary>
internal sealed class GitObjectReader : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _output;
    private readonly Stream _input;
    private readonly Task<string> _error;

    private GitObjectReader(Process process)
    {
        _process = process;
        _output = process.StandardOutput.BaseStream;
        _input = process.StandardInput.BaseStream;
        _error = process.StandardError.ReadToEndAsync();
    }

    public static GitObjectReader Start(string git, string repository, GitEnvironment environment) =>
        new(GitCommand.Start(git, repository, ["cat-file", "--batch"], environment, binaryOutput: true));

    /// <summary>Reads a blob's bytes; <paramref name="expectedSize"/> is what the tree listing said (checked).</summary>
    /// <exception cref="RepositoryException">git's answer is not the blob asked for.</exception>
    public async Task<byte[]> ReadAsync(string objectId, long expectedSize, CancellationToken cancellationToken)
    {
        await _input.WriteAsync(Encoding.ASCII.GetBytes(objectId + "\n"), cancellationToken).ConfigureAwait(false);
        await _input.FlushAsync(cancellationToken).ConfigureAwait(false);

        // "<oid> blob <size>\n<bytes>\n", or "<oid> missing\n".
        string header = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        string[] parts = header.Split(' ');
        if (parts.Length != 3 || parts[0] != objectId || parts[1] != "blob"
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out long size) || size != expectedSize)
        {
            throw new RepositoryException($"Could not read a file of the repository: git answered '{header}' for object {objectId}.");
        }

        byte[] bytes = new byte[size];
        await _output.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        await _output.ReadExactlyAsync(new byte[1], cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        byte[] one = new byte[1];
        while (line.Length < 512)
        {
            await _output.ReadExactlyAsync(one, cancellationToken).ConfigureAwait(false);
            if (one[0] == (byte)'\n')
            {
                return line.ToString();
            }

            line.Append((char)one[0]);
        }

        throw new RepositoryException("Could not read a file of the repository: git's answer has no end of line.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _input.Close();
        }
        catch (IOException)
        {
            // git is gone already.
        }

        // Nothing more is wanted from it: end it rather than wait.
        GitCommand.Kill(_process);
        try
        {
            await _error.ConfigureAwait(false);
        }
        catch (IOException)
        {
        }

        _process.Dispose();
    }
}
