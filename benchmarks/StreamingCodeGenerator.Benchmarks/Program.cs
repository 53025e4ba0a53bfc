using StreamingCodeGeneration.Benchmarks;

return args.Length > 0 && args[0] == "tokenizer"
    ? TokenizerThroughput.Run(args.AsSpan(1))
    : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: StreamingCodeGenerator.Benchmarks tokenizer --corpus <file> [--encoding o200k_base|cl100k_base] [--iterations <n>]");
    Console.Error.WriteLine("  Prints one JSON object per measurement (see benchmarks/run-tokenizer.sh).");
    return 2;
}
