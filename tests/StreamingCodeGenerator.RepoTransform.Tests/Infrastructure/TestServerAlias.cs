// The repository's one test server, from the public Testing package, by its own name (this project has its own Respond,
// so the whole namespace is not imported).
global using OpenAITestServer = StreamingCodeGeneration.Testing.OpenAITestServer;
