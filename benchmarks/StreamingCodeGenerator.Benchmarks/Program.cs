using StreamingCodeGeneration.Benchmarks;

return args.Length == 0 ? Usage() : args[0] switch
{
    "tokenizer" => TokenizerThroughput.Run(args.AsSpan(1)),
    "throughput" => await StreamingThroughput.RunAsync(args.AsMemory(1)),
    "stages" => await StageTimings.RunAsync(args.AsMemory(1)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: StreamingCodeGenerator.Benchmarks <command>");
    Console.Error.WriteLine("  tokenizer --corpus <file> [--encoding o200k_base|cl100k_base] [--iterations <n>]");
    Console.Error.WriteLine("      One JSON object per measurement (see benchmarks/run-tokenizer.sh).");
    Console.Error.WriteLine("  throughput [--events 100000] [--rounds 7] [--json <file>]");
    Console.Error.WriteLine("      Library vs raw OpenAI SDK on the same loopback stream: events/s and bytes allocated per event.");
    Console.Error.WriteLine("  stages [events]");
    Console.Error.WriteLine("      Nanoseconds and bytes per event of each stage alone, in memory.");
    return 2;
}
