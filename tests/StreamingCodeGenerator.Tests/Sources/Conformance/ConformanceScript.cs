namespace StreamingCodeGeneration.Tests.Sources.Conformance;

/// <summary>One attempt of a conformance scenario in provider-neutral terms; each backend renders it in its own wire format.</summary>
public sealed record ConformanceScript(ConformanceScript.Ending End, IReadOnlyList<string> Pieces, string? Reasoning = null, int Status = 200, string? Message = null, Func<bool>? When = null)
{
    /// <summary>How the attempt ends.</summary>
    public enum Ending
    {
        /// <summary>The answer completes: finish reason <c>stop</c>, usage 12 in and the piece count out (3 cached, 2 reasoning).</summary>
        Complete,

        /// <summary>An error status before any content.</summary>
        Status,

        /// <summary>The connection is lost after the pieces (once <see cref="When"/> holds: the client has them).</summary>
        Cut,

        /// <summary>The provider reports an error in the stream after the pieces.</summary>
        ErrorEvent,

        /// <summary>The server refuses the request because it asked for usage.</summary>
        RefuseUsage,

        /// <summary>The stream goes quiet after the pieces until the client goes away.</summary>
        Hang,
    }

    public const int InputTokens = 12;

    public static ConformanceScript Answer(params string[] pieces) => new(Ending.Complete, pieces);

    public static ConformanceScript ReasoningThenAnswer(string reasoning, params string[] pieces) => new(Ending.Complete, pieces, Reasoning: reasoning);

    public static ConformanceScript Error(int status, string message) => new(Ending.Status, [], Status: status, Message: message);

    public static ConformanceScript CutAfter(Func<bool> when, params string[] pieces) => new(Ending.Cut, pieces, When: when);

    public static ConformanceScript ErrorEventAfter(string message, params string[] pieces) => new(Ending.ErrorEvent, pieces, Message: message);

    public static ConformanceScript RefusingUsage() => new(Ending.RefuseUsage, [], Status: 400, Message: "usage is not supported here");

    public static ConformanceScript HangAfter(params string[] pieces) => new(Ending.Hang, pieces);
}

/// <summary>What one attempt sent, as the backend saw it.</summary>
public sealed record SentAttempt(IReadOnlyList<(string Role, string Content)> Messages, bool AskedForUsage);

/// <summary>A provider's server (or client) playing scripts, and the source under test that talks to it.</summary>
internal interface IConformanceBackend : IAsyncDisposable
{
    /// <summary>The source under test.</summary>
    IChatUpdateSource Source { get; }

    /// <summary>Whether the source can ask for usage, and so be refused.</summary>
    bool AsksForUsage { get; }

    /// <summary>What each attempt sent, in order.</summary>
    IReadOnlyList<SentAttempt> Sent { get; }

    /// <summary>Completes once attempt <paramref name="index"/> is closed on the server side (the client went away).</summary>
    Task ClosedAsync(int index);

    /// <summary>
    /// The messages a continuation adds after the request's own: by default the answer so far and the instruction to
    /// carry on (a provider that prefills, such as Anthropic, sends the answer alone, without its trailing whitespace).
    /// </summary>
    IReadOnlyList<(string Role, string Content)> ContinuationTail(string answerSoFar) =>
        [("assistant", answerSoFar), ("user", ChatAttempt.ContinuationInstruction)];
}
