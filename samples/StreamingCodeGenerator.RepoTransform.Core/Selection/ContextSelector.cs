namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Fits the prompt to the token budget: every candidate's block is counted with the model's tokenizer, files are
/// taken in order of relevance while they fit, and the finished request is counted exactly (system prompt and message
/// framing included) and trimmed from the least relevant end if the seams cost a few tokens more than the parts.
/// </summary>
internal static class ContextSelector
{
    /// <exception cref="TransformException">Even with no file contents the prompt exceeds the budget.</exception>
    public static FileSelection Select(
        RepositorySnapshot snapshot,
        string prompt,
        int budget,
        int maxListedPaths,
        Tokenizer tokenizer,
        Func<CodeGenerationRequest, int> countPromptTokens)
    {
        var candidates = new List<RepositoryFile>();
        var excluded = new List<ExcludedFile>(snapshot.SkippedFolders);
        foreach (RepositoryFile file in snapshot.Files)
        {
            if (file.Exclusion is { } reason)
            {
                excluded.Add(new ExcludedFile(file.Path, reason));
                continue;
            }

            file.Tokens = tokenizer.CountTokens(TransformPrompts.FileBlock(file.Path, file.DisplayText)) + 1;
            candidates.Add(file);
        }

        List<(RepositoryFile File, int Score)> ranked = RelevanceRanker.Rank(candidates, prompt);
        CodeGenerationRequest request = TransformPrompts.Generation(prompt, snapshot, [], maxListedPaths);
        int used = countPromptTokens(request);
        if (used > budget)
        {
            throw new TransformException(
                $"The task and the list of the repository's files alone take {used} prompt tokens, more than the budget of {budget}; raise --max-prompt-tokens.");
        }

        var chosen = new List<(RepositoryFile File, int Score)>();
        var overBudget = new List<RepositoryFile>();
        foreach ((RepositoryFile file, int score) in ranked)
        {
            if (used + file.Tokens <= budget)
            {
                chosen.Add((file, score));
                used += file.Tokens;
            }
            else
            {
                overBudget.Add(file);
            }
        }

        int exact;
        while (true)
        {
            request = TransformPrompts.Generation(prompt, snapshot, ByPath(chosen), maxListedPaths);
            exact = countPromptTokens(request);
            if (exact <= budget || chosen.Count == 0)
            {
                break;
            }

            overBudget.Add(chosen[^1].File);
            chosen.RemoveAt(chosen.Count - 1);
        }

        foreach (RepositoryFile file in overBudget)
        {
            excluded.Add(new ExcludedFile(file.Path, ExclusionReason.OverBudget, file.Tokens));
        }

        excluded.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var included = chosen.Select(c => new SelectedFile(c.File.Path, c.File.Tokens, c.Score)).ToList();
        return new FileSelection(ByPath(chosen), included, excluded, request, exact);
    }

    private static List<RepositoryFile> ByPath(List<(RepositoryFile File, int Score)> chosen)
    {
        var files = chosen.Select(c => c.File).ToList();
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }
}
