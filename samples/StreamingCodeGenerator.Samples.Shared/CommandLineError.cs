namespace StreamingCodeGeneration.Samples;

/// <summary>How a command-line sample reports a failure: its exit code and a one-line message.</summary>
/// <param name="ExitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="Message">One line for standard error, without secrets.</param>
public readonly record struct CommandLineError(int ExitCode, string Message);
