namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary><c>response.output_item.added</c> (the message, empty) and <c>response.output_item.done</c> (with its text).</summary>
internal sealed record ResponseOutputItemEvent(string Type, int SequenceNumber, int OutputIndex, ResponseMessage Item);
