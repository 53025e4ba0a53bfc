// scg-transform: a thin command line over RepositoryTransformer (parsing and display only).
using StreamingCodeGeneration.RepoTransform.Cli;

return await TransformCommand.InvokeAsync(args);
