// The library's tests use the public test server package (one test server in the repository): these aliases keep
// the names the tests were written with.
global using Events = StreamingCodeGeneration.Testing.SseEvents;
global using RecordedRequest = StreamingCodeGeneration.Testing.RecordedRequest;
global using Respond = StreamingCodeGeneration.Testing.Respond;
global using ScriptedOpenAIServer = StreamingCodeGeneration.Testing.OpenAITestServer;
global using TimerAwareFakeTimeProvider = StreamingCodeGeneration.Testing.TimerAwareFakeTimeProvider;
