using System.ClientModel;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace StreamingCodeGeneration;

/// <summary>
/// A source over any <see cref="IChatClient"/> (Microsoft.Extensions.AI): each attempt is one
/// <c>GetStreamingResponseAsync</c> call, its <see cref="ChatResponseUpdate"/>s become normalized updates, and the
/// client's exceptions become typed ones where the cause is known (an HTTP status, a timeout, a lost connection).
/// A stream that ends without a finish reason was cut, as on the native sources: clients such as Anthropic's and
/// Microsoft.Extensions.AI.OpenAI's complete quietly when the body closes early, and no update then says why it ended.
/// Everything above the seam — timeouts, retries, continuation, chunks, stats, exact token counts — is the same as
/// for the OpenAI source.
/// </summary>
internal sealed class ChatClientSource : IChatUpdateSource
{
    private readonly IChatClient _client;
    private readonly SecretRedactor _redactor;

    public ChatClientSource(IChatClient client, SecretRedactor redactor)
    {
        _client = client;
        _redactor = redactor;
        ChatClientMetadata? metadata = client.GetService<ChatClientMetadata>();
        ProviderName = metadata?.ProviderName ?? "microsoft.extensions.ai";
        ServerAddress = metadata?.ProviderUri;
    }

    public string ProviderName { get; }

    public Uri? ServerAddress { get; }

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(ChatAttempt attempt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PreparedRequest request = attempt.Request;
        var options = new ChatOptions
        {
            ModelId = request.Model,
            Temperature = request.Temperature,
            MaxOutputTokens = request.MaxOutputTokens,
            StopSequences = request.StopSequences.Count > 0 ? [.. request.StopSequences] : null,
        };

        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = _client.GetStreamingResponseAsync(ToMessages(attempt.Messages), options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex)
        {
            throw Translate(ex);
        }

        bool sawFinish = false, sawText = false;
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    throw Translate(ex);
                }

                if (!more)
                {
                    if (!sawFinish)
                    {
                        throw SourceFailures.EndedEarly(sawText, "finish reason from the chat client");
                    }

                    yield break;
                }

                ChatUpdate update = ToUpdate(updates.Current);
                sawFinish |= update.FinishReason is not null;
                sawText |= update.Text is not null;
                yield return update;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static List<ChatMessage> ToMessages(IReadOnlyList<ConversationMessage> conversation)
    {
        var messages = new List<ChatMessage>(conversation.Count);
        foreach (ConversationMessage message in conversation)
        {
            messages.Add(new ChatMessage(ToRole(message.Role), message.Content));
        }

        return messages;
    }

    private static ChatRole ToRole(MessageRole role) => role switch
    {
        MessageRole.System => ChatRole.System,
        MessageRole.Assistant => ChatRole.Assistant,
        _ => ChatRole.User,
    };

    private ChatUpdate ToUpdate(ChatResponseUpdate update)
    {
        string? text = null, reasoning = null;
        TokenUsage? usage = null;
        foreach (AIContent content in update.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } part:
                    text = text is null ? part.Text : string.Concat(text, part.Text);
                    break;
                case TextReasoningContent { Text.Length: > 0 } part:
                    reasoning = reasoning is null ? part.Text : string.Concat(reasoning, part.Text);
                    break;
                case UsageContent { Details: { } details }:
                    int input = (int)(details.InputTokenCount ?? 0), output = (int)(details.OutputTokenCount ?? 0);
                    usage = new TokenUsage(input, output, (int)(details.TotalTokenCount ?? input + output))
                    {
                        CachedInputTokenCount = (int?)details.CachedInputTokenCount,
                        ReasoningTokenCount = (int?)details.ReasoningTokenCount,
                    };
                    break;
                case ErrorContent error:
                    throw SourceFailures.ErrorEvent(
                        new ApiError(_redactor.Redact(error.Message), null, _redactor.Redact(error.ErrorCode), null),
                        "The chat client reported an error in the stream.");
            }
        }

        return new ChatUpdate
        {
            Text = text,
            Reasoning = reasoning,
            FinishReason = update.FinishReason?.Value,
            Usage = usage,
            ResponseId = _redactor.Redact(update.ResponseId),
            ModelId = _redactor.Redact(update.ModelId),
        };
    }

    /// <summary>The client's exceptions, typed where the cause is known; anything else is wrapped, never let out untyped.</summary>
    private Exception Translate(Exception exception)
    {
        switch (exception)
        {
            case CodeGenerationException or OperationCanceledException:
                return exception;
            case ClientResultException { Status: > 0 } result:
                return FromStatus(result.Status, result.Message, RetryAfterOf(result));
            case HttpRequestException { StatusCode: HttpStatusCode status } http:
                return FromStatus((int)status, http.Message, retryAfter: null);
            case HttpRequestException or IOException or System.Net.Sockets.SocketException or ClientResultException:
                return SourceFailures.ConnectionLost(exception, _redactor);
            case TimeoutException:
                return new StreamInterruptedException(
                    "The chat client timed out: " + _redactor.Redact(exception.Message),
                    StreamInterruptionReason.ConnectionLost,
                    null,
                    exception);
            default:
                return new CodeGenerationException("The chat client failed: " + _redactor.Redact(exception.Message), exception);
        }
    }

    private ApiException FromStatus(int status, string message, TimeSpan? retryAfter) =>
        SourceFailures.FromStatus(status, new ApiError(_redactor.Redact(message), null, null, null), retryAfter);

    /// <summary>The wait a rate-limited OpenAI SDK call was asked for, from its raw response's headers.</summary>
    private static TimeSpan? RetryAfterOf(ClientResultException result)
    {
        var headers = result.GetRawResponse()?.Headers;
        if (headers is null)
        {
            return null;
        }

        headers.TryGetValue("retry-after-ms", out string? milliseconds);
        headers.TryGetValue("retry-after", out string? seconds);
        return RetryAfterParser.Parse(milliseconds, seconds, DateTimeOffset.UnixEpoch);
    }
}
