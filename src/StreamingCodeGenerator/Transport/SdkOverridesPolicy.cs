using System.ClientModel.Primitives;

namespace StreamingCodeGeneration;

/// <summary>
/// A per-call pipeline policy added to every request we send through a <see cref="OpenAI.Chat.ChatClient"/>, including
/// one the caller handed in: it turns the SDK's own retries off for this message (our Polly pipeline owns retries, so
/// attempts never multiply) and lifts its network timeout (our first-chunk, idle and total timeouts own time, so a
/// long healthy stream is never cut). It also notes the method and URL the client sends to, so errors can name them.
/// One instance per request.
/// </summary>
internal sealed class SdkOverridesPolicy : RequestPolicy
{
    /// <summary>The HTTP method of the request, once sent.</summary>
    public string? Method { get; private set; }

    /// <summary>The URL of the request, once sent.</summary>
    public Uri? Uri { get; private set; }

    protected override void Apply(PipelineMessage message)
    {
        Method = message.Request.Method;
        Uri = message.Request.Uri;
        message.ResponseClassifier = NeverRetryClassifier.Instance;
        message.NetworkTimeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>Classifies non-2xx as errors (we read them ourselves) and nothing as retriable.</summary>
    private sealed class NeverRetryClassifier : PipelineMessageClassifier
    {
        public static NeverRetryClassifier Instance { get; } = new();

        public override bool TryClassify(PipelineMessage message, out bool isError)
        {
            isError = message.Response is { Status: < 200 or >= 300 };
            return true;
        }

        public override bool TryClassify(PipelineMessage message, Exception? exception, out bool isRetriable)
        {
            isRetriable = false;
            return true;
        }
    }
}
