// Fixtures run side by side; every test has its own temporary folders, loopback server and database.
[assembly: Parallelizable(ParallelScope.Fixtures)]
