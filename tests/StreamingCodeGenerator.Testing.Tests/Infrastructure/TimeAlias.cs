// The fake clock is part of the package under test.
global using ManualTimeProvider = StreamingCodeGeneration.Testing.ManualTimeProvider;
