// The library's tests use the public Testing package (one test server in the repository), by its types' own names.
global using StreamingCodeGeneration.Testing;
