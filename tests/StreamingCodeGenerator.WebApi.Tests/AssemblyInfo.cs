// Every test starts its own upstream (a loopback test server) and its own service: fixtures run in parallel.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]
