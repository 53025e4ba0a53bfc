using System.Runtime.ExceptionServices;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>One run of <see cref="RepositoryTransformer"/>: open, select, generate, review, diff, apply, record.</summary>
internal sealed class TransformRun
{
    private readonly StreamingCodeGenerator _generator;
    private readonly StreamingCodeGeneratorOptions _generatorOptions;
    private readonly RepositoryTransformerOptions _options;
    private readonly IRunHistory? _history;
    private readonly TransformRequest _request;
    private readonly IProgress<TransformEvent>? _progress;
    private readonly List<string> _warnings = [];
    private readonly List<CheckRun> _checks = [];

    private string _repository;
    private string? _commit;
    private int _filesScanned;
    private int _filesRead;
    private long _bytesRead;
    private string _diff = string.Empty;
    private IReadOnlyList<FileChange> _files = [];
    private string _explanation = string.Empty;
    private IReadOnlyList<SelectedFile> _included = [];
    private IReadOnlyList<ExcludedFile> _excluded = [];
    private ReviewVerdict _verdict = ReviewVerdict.NotReviewed;
    private int _rounds;
    private int _promptTokens;
    private int _completionTokens;
    private bool _warnedAboutNetwork;

    public TransformRun(StreamingCodeGenerator generator, RepositoryTransformerOptions options, IRunHistory? history, TransformRequest request, IProgress<TransformEvent>? progress)
    {
        _generator = generator;
        _generatorOptions = generator.Options;
        _options = options;
        _history = history;
        _request = request;
        _progress = progress;

        // Until the repository is parsed, the history and messages name it without anything that may be a credential.
        _repository = RepositorySource.Sanitize(request.Repository);
    }

    public async Task<TransformResult> ExecuteAsync(CancellationToken cancellationToken)
    {
        TimeProvider time = _options.TimeProvider;
        DateTimeOffset startedAt = time.GetUtcNow();
        long started = time.GetTimestamp();
        TransformOutcome outcome;
        Exception? failure = null;
        try
        {
            outcome = await RunCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
            outcome = ex switch
            {
                UnsafePathException => TransformOutcome.Rejected,
                OperationCanceledException when cancellationToken.IsCancellationRequested => TransformOutcome.Cancelled,
                _ => TransformOutcome.Failed,
            };
        }

        TimeSpan duration = time.GetElapsedTime(started);
        long? runId = await StoreAsync(startedAt, duration, outcome, failure).ConfigureAwait(false);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        var result = new TransformResult
        {
            Diff = _diff,
            Files = _files,
            Repository = _repository,
            Commit = _commit,
            Model = _generatorOptions.Model,
            Verdict = _verdict,
            Rounds = _rounds,
            PromptTokens = _promptTokens,
            CompletionTokens = _completionTokens,
            Duration = duration,
            Outcome = outcome,
            Explanation = _explanation,
            IncludedFiles = _included,
            ExcludedFiles = _excluded,
            Warnings = _warnings.ToArray(),
            RunId = runId,
            FilesScanned = _filesScanned,
            FilesRead = _filesRead,
            BytesRead = _bytesRead,
            Checks = _checks.ToArray(),
        };
        Report(new RunCompleted(result));
        return result;
    }

    private async Task<TransformOutcome> RunCoreAsync(CancellationToken cancellationToken)
    {
        string git = _options.GitExecutable;
        var source = RepositorySource.Parse(_request.Repository, _options.RepositoryAccess);
        _repository = source.Display;
        if (_request.Apply && source.Kind != RepositorySourceKind.LocalFolder)
        {
            throw new RepositoryException("Applying needs a local repository (a clone from a URL is deleted after the run); clone it yourself and pass the folder.");
        }

        // A history that cannot be written fails the run now, before anything is fetched or a billed request is sent.
        if (_history is not null)
        {
            await _history.EnsureWritableAsync(cancellationToken).ConfigureAwait(false);
        }

        RepositoryWorkspace workspace = await RepositoryWorkspace.OpenAsync(source, _options, cancellationToken).ConfigureAwait(false);
        await using (workspace.ConfigureAwait(false))
        {
            _commit = workspace.Commit;
            if (_request.Apply)
            {
                if (!workspace.IsGitRepository)
                {
                    throw new RepositoryException($"Applying needs a git work tree, so the change can be reviewed and undone; '{_repository}' is not one.");
                }

                // Checked before the model is asked (no tokens spent on a change that cannot be applied), and again before applying.
                await WorkingTree.EnsureCleanAsync(git, workspace.Root, cancellationToken).ConfigureAwait(false);
            }

            RepositorySnapshot snapshot = await RepositoryScanner.ScanAsync(workspace, _options, _request.Prompt, cancellationToken).ConfigureAwait(false);
            _filesScanned = snapshot.Files.Count;
            _filesRead = snapshot.FilesRead;
            _bytesRead = snapshot.BytesRead;
            Report(new RepositoryOpened(_repository, workspace.Root, workspace.Commit, workspace.IsClone, snapshot.Files.Count));
            if (snapshot.FilesNotRead > 0)
            {
                Warn($"Read {ByteSize.Format(snapshot.BytesRead)} of {snapshot.FilesRead} files, up to the run's limit of {ByteSize.Format(_options.MaxBytesRead)} (MaxBytesRead); "
                    + $"{snapshot.FilesNotRead} less relevant files were not read and are left out of the prompt.");
            }


            int budget = Math.Min(_request.MaxPromptTokens ?? _options.MaxPromptTokens, _generatorOptions.MaxPromptTokens ?? int.MaxValue);
            Tokenizer tokenizer = _generatorOptions.TokenizerEncoding is { } encoding ? Tokenizer.Get(encoding) : Tokenizer.ForModel(_generatorOptions.Model);
            FileSelection selection = ContextSelector.Select(snapshot, _request.Prompt, budget, _options.MaxListedPaths, tokenizer, _generator.CountPromptTokens);
            _included = selection.Included;
            _excluded = selection.Excluded;
            Report(new FilesSelected(selection.Included, selection.Excluded, selection.PromptTokens, budget));
            var shown = new HashSet<string>(selection.Shown.Select(f => f.Path), StringComparer.Ordinal);

            AnswerParseResult answer = await StreamRoundAsync(1, RoundKind.Generate, selection.Request, selection.PromptTokens, workspace.Root, expectVerdict: false, cancellationToken).ConfigureAwait(false);
            _explanation = answer.Explanation.Trim();
            var edits = new Dictionary<string, FileEdit>(StringComparer.Ordinal);
            foreach (FileEdit edit in answer.Edits)
            {
                edits[edit.Path] = edit;
            }

            List<PlannedChange> changes = await UpdateDiffAsync(1, edits, snapshot, shown, cancellationToken).ConfigureAwait(false);
            int reviewsLeft = _request.ReflectionRounds ?? _options.ReflectionRounds;
            CheckOptions checks = _options.Checks;
            int fixesLeft = checks.MaxRevisions;
            int round = 1;
            bool? checksPassed = null;
            while (_files.Count > 0)
            {
                var written = changes.Where(c => c.NewText is not null).Select(c => (c.Path, LineEndings.ToDisplay(c.NewText!))).ToList();

                // The repository's own checks first, on every new diff: a review of a change that does not build is wasted.
                if (checks.Commands.Count > 0)
                {
                    (CheckRun? failed, string output) = await RunChecksAsync(round, workspace, snapshot, cancellationToken).ConfigureAwait(false);
                    checksPassed = failed is null;
                    if (failed is not null)
                    {
                        if (fixesLeft == 0)
                        {
                            if (checks.MaxRevisions > 0)
                            {
                                Warn($"The check '{failed.Command}' still fails after {checks.MaxRevisions} revision round(s) (MaxRevisions); the diff is the last one tried.");
                            }

                            break;
                        }

                        string shownOutput = CheckOutput.Tail(tokenizer, output, checks.MaxOutputTokens, out bool trimmed);
                        CodeGenerationRequest fix = TransformPrompts.Fix(_request.Prompt, _diff, written, failed, shownOutput, trimmed);
                        int fixTokens = _generator.CountPromptTokens(fix);
                        if (fixTokens > budget)
                        {
                            Warn($"Skipped the revision for the failed check: its prompt needs {fixTokens} tokens, more than the budget of {budget}.");
                            break;
                        }

                        fixesLeft--;
                        round++;
                        AnswerParseResult fixAnswer = await StreamRoundAsync(round, RoundKind.Fix, fix, fixTokens, workspace.Root, expectVerdict: false, cancellationToken).ConfigureAwait(false);
                        if (fixAnswer.Edits.Count == 0)
                        {
                            Warn("The answer to the failed check wrote no files; the diff before it stands.");
                            break;
                        }

                        Merge(edits, fixAnswer.Edits, snapshot);
                        changes = await UpdateDiffAsync(round, edits, snapshot, shown, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }

                if (reviewsLeft == 0)
                {
                    break;
                }

                CodeGenerationRequest request = TransformPrompts.Review(_request.Prompt, _diff, written);
                int tokens = _generator.CountPromptTokens(request);
                if (tokens > budget)
                {
                    Warn($"Skipped the review: its prompt needs {tokens} tokens, more than the budget of {budget}.");
                    break;
                }

                reviewsLeft--;
                round++;
                AnswerParseResult verdict = await StreamRoundAsync(round, RoundKind.Review, request, tokens, workspace.Root, expectVerdict: true, cancellationToken).ConfigureAwait(false);
                _verdict = verdict.Verdict ?? ReviewVerdict.Unrecognized;
                Report(new ReviewCompleted(round, _verdict, verdict.VerdictLine));
                if (_verdict == ReviewVerdict.Confident)
                {
                    if (verdict.Edits.Count > 0)
                    {
                        Warn("Ignored the files written after [CONFIDENT].");
                    }

                    break;
                }

                if (_verdict == ReviewVerdict.Unrecognized)
                {
                    Warn($"The review's first line is neither [CONFIDENT] nor [REVISION NEEDED] ('{verdict.VerdictLine ?? "empty answer"}'); its files were not used, the diff before the review stands, unreviewed, and the run is not a success.");
                    break;
                }

                if (verdict.Edits.Count == 0)
                {
                    Warn("The review answered [REVISION NEEDED] but wrote no files; the diff before the review stands.");
                    break;
                }

                Merge(edits, verdict.Edits, snapshot);
                changes = await UpdateDiffAsync(round, edits, snapshot, shown, cancellationToken).ConfigureAwait(false);
                checksPassed = null;
            }

            if (_files.Count == 0)
            {
                return TransformOutcome.NoChanges;
            }

            TransformOutcome? notSucceeded = checksPassed == false ? TransformOutcome.ChecksFailed
                : _verdict == ReviewVerdict.Unrecognized ? TransformOutcome.ReviewUnrecognized
                : null;
            if (notSucceeded is { } outcome)
            {
                if (_request.Apply)
                {
                    Warn("The diff was not applied: the run is not a success.");
                }

                return outcome;
            }

            if (!_request.Apply)
            {
                return TransformOutcome.Succeeded;
            }

            await WorkingTree.EnsureCleanAsync(git, workspace.Root, cancellationToken).ConfigureAwait(false);
            await WorkingTree.ApplyAsync(git, workspace.Root, _diff, cancellationToken).ConfigureAwait(false);
            Report(new ChangesApplied(_files));
            return TransformOutcome.Applied;
        }
    }

    /// <summary>A revision's files over the current ones; deleting a file that only this run created takes the creation back.</summary>
    private static void Merge(Dictionary<string, FileEdit> edits, IReadOnlyList<FileEdit> revision, RepositorySnapshot snapshot)
    {
        foreach (FileEdit edit in revision)
        {
            if (edit.Kind == FileEditKind.Delete && snapshot.Find(edit.Path) is null && edits.ContainsKey(edit.Path))
            {
                edits.Remove(edit.Path);
            }
            else
            {
                edits[edit.Path] = edit;
            }
        }
    }

    /// <summary>
    /// Runs the checks on the current diff in a fresh temporary worktree, in order, until one fails; returns that one
    /// (with its output) or <see langword="null"/> when all pass.
    /// </summary>
    private async Task<(CheckRun? Failed, string Output)> RunChecksAsync(int round, RepositoryWorkspace workspace, RepositorySnapshot snapshot, CancellationToken cancellationToken)
    {
        CheckOptions checks = _options.Checks;
        bool isolateNetwork = false;
        if (!checks.AllowNetwork)
        {
            isolateNetwork = await CheckSandbox.CanIsolateNetworkAsync().ConfigureAwait(false);
            if (!isolateNetwork && !_warnedAboutNetwork)
            {
                _warnedAboutNetwork = true;
                Warn("The checks run with network access: this system does not allow unprivileged user namespaces (unshare), so they cannot be cut off from the network.");
            }
        }

        CheckWorktree worktree = await CheckWorktree.CreateAsync(workspace, snapshot, _diff, _options, cancellationToken).ConfigureAwait(false);
        await using (worktree.ConfigureAwait(false))
        {
            foreach (string command in checks.Commands)
            {
                Report(new CheckStarted(round, command));
                CheckProcessResult result = await CheckProcess.RunAsync(
                    command, worktree.Root, worktree.Home, worktree.Temporary, checks, isolateNetwork, _generatorOptions.ApiKey, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                var check = new CheckRun(round, command, result.ExitCode, result.Duration, result.TimedOut);
                _checks.Add(check);
                Report(new CheckCompleted(check, result.Output));
                if (!check.Passed)
                {
                    return (check, result.Output);
                }
            }
        }

        return (null, string.Empty);
    }

    private async Task<List<PlannedChange>> UpdateDiffAsync(
        int round, Dictionary<string, FileEdit> edits, RepositorySnapshot snapshot, HashSet<string> shown, CancellationToken cancellationToken)
    {
        // A deletion needs the file's text for its diff, also when the file was not read (a lock file, say).
        foreach (FileEdit edit in edits.Values)
        {
            if (edit.Kind == FileEditKind.Delete && snapshot.Find(edit.Path) is { Text: null } file && snapshot.Loader is { } load)
            {
                await load(file, cancellationToken).ConfigureAwait(false);
            }
        }

        _bytesRead = snapshot.BytesRead;
        _filesRead = snapshot.FilesRead;
        List<PlannedChange> changes = ChangePlanner.Plan(edits, snapshot, shown, Warn);
        (_diff, _files) = UnifiedDiffWriter.Write(changes);
        Report(new DiffUpdated(round, _diff, _files));
        return changes;
    }

    private async Task<AnswerParseResult> StreamRoundAsync(
        int round, RoundKind kind, CodeGenerationRequest request, int promptTokens, string root, bool expectVerdict, CancellationToken cancellationToken)
    {
        _rounds = round;
        _promptTokens += promptTokens;
        Report(new RoundStarted(round, kind, promptTokens));
        CodeGenerationStream stream = _generator.GenerateAsync(request, cancellationToken);
        var parser = new AnswerParser(round, Report, Warn, () => stream.TokenCount, raw => CheckPath(root, raw), expectVerdict);
        try
        {
            await foreach (Chunk chunk in stream.ConfigureAwait(false))
            {
                parser.Push(chunk);
            }
        }
        finally
        {
            _completionTokens += stream.Stats.TokenCount;
        }

        StreamStats stats = stream.Stats;
        AnswerParseResult parsed = parser.Complete(stats.IsTruncated);
        Report(new RoundCompleted(round, kind, stats.TokenCount, parsed.Edits.Count));
        return parsed;
    }

    private static string CheckPath(string root, string raw)
    {
        string path = RepositoryPath.Normalize(raw);
        RepositoryPath.EnsureInsideTree(root, path, raw);
        return path;
    }

    private async Task<long?> StoreAsync(DateTimeOffset startedAt, TimeSpan duration, TransformOutcome outcome, Exception? failure)
    {
        if (_history is null)
        {
            return null;
        }

        var record = new RunRecord
        {
            StartedAt = startedAt,
            Repository = _repository,
            Commit = _commit,
            Prompt = _request.Prompt,
            Model = _generatorOptions.Model,
            Diff = _diff,
            Files = _files,
            PromptTokens = _promptTokens,
            CompletionTokens = _completionTokens,
            Duration = duration,
            Rounds = _rounds,
            Verdict = _verdict,
            Outcome = outcome,
            Checks = _checks.ToArray(),
            Error = failure is null ? null : outcome == TransformOutcome.Cancelled ? "Cancelled." : (_options.DescribeFailure ?? FailureText.Describe)(failure),
        };
        try
        {
            // Stored even when the caller cancelled: the record says so.
            return await _history.AddAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (HistoryException ex)
        {
            Warn($"The run was not stored in the history: {ex.Message}");
            return null;
        }
    }

    private void Warn(string message)
    {
        _warnings.Add(message);
        Report(new TransformWarning(message));
    }

    private void Report(TransformEvent transformEvent) => _progress?.Report(transformEvent);
}
