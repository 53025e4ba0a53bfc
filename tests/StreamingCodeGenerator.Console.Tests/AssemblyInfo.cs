// Every test starts its own loopback server, temporary folders and scg process; nothing is shared.
[assembly: Parallelizable(ParallelScope.Fixtures)]
