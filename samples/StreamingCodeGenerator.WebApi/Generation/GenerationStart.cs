namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>What <see cref="GenerationStarter.StartAsync"/> returns: a generation with its first chunk, or the error to answer with.</summary>
internal sealed record GenerationStart(RunningGeneration? Generation, ServiceError? Error);
