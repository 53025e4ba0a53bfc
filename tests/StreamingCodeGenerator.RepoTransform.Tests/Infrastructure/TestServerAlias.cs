// These tests use the repository's one test server, StreamingCodeGenerator.Testing, under the name they were written with.
global using ScriptedOpenAIServer = StreamingCodeGeneration.Testing.OpenAITestServer;
