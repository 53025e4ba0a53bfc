using StreamingCodeGeneration.Benchmarks;

return args.Length == 0 ? Usage() : args[0] switch
{
    "compare" => await CompareCommand.RunAsync(args.AsMemory(1)),
    "bdn" => SuiteCommand.Run(args.AsSpan(1)),
    "tokenizer" => TokenizerThroughput.Run(args.AsSpan(1)),
    "tokenizer-spread" => await TokenizerSpread.RunAsync(args.AsMemory(1)),
    "tokenizer-probe" => TokenizerProcessProbe.Run(args.AsSpan(1)),
    "throughput" => await StreamingThroughput.RunAsync(args.AsMemory(1)),
    "stages" => await StageTimings.RunAsync(args.AsMemory(1)),
    "upstream" => await PacedSseServer.ServeAsync(args.AsMemory(1)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: StreamingCodeGenerator.Benchmarks <command>");
    Console.Error.WriteLine("  compare [--smoke] [--rows 1,2,3,4,5,6] [--out <dir>] [--web-app <dll|native executable|project dir>] [--native] [--python <python3>] [--fastapi-workers 1]");
    Console.Error.WriteLine("      Every row ours vs a peer in the same run; prints one table, writes <out>/latest.md and .json");
    Console.Error.WriteLine("      (benchmarks/results/ by default; --smoke: tiny sizes, smoke.md/.json, exit 1 if a check fails).");
    Console.Error.WriteLine("  bdn [filter] [BenchmarkDotNet arguments]");
    Console.Error.WriteLine("      BenchmarkDotNet suite (MemoryDiagnoser): each stage of SSE event -> Chunk alone, and the whole path.");
    Console.Error.WriteLine("  tokenizer --corpus <file> [--encoding o200k_base|cl100k_base] [--iterations <n>]");
    Console.Error.WriteLine("      One JSON object per measurement (compare's row 3 runs it in a fresh process).");
    Console.Error.WriteLine("  tokenizer-spread --corpus <file> [--processes 12] [--counts 7] [--encodings o200k_base,cl100k_base] [--builds <dir>,<dir>] [--env NAME=VALUE]");
    Console.Error.WriteLine("      Warm counting in fresh processes, one line each (wall and CPU MB/s, control passes, table placement), then the spread.");
    Console.Error.WriteLine("  throughput [--events 100000] [--rounds 7] [--json <file>]");
    Console.Error.WriteLine("      Library vs raw OpenAI SDK on the same loopback stream: events/s and bytes allocated per event.");
    Console.Error.WriteLine("  stages [events]");
    Console.Error.WriteLine("      Nanoseconds and bytes per event of each stage alone, in memory.");
    Console.Error.WriteLine("  upstream [--chunks 100] [--rate 50]");
    Console.Error.WriteLine("      Serves row 5's paced, stamped upstream until Enter is pressed (to try a service or wrk by hand).");
    return 2;
}
