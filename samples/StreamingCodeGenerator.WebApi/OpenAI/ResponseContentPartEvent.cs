namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary><c>response.content_part.added</c> (the part, empty) and <c>response.content_part.done</c> (with its text).</summary>
internal sealed record ResponseContentPartEvent(string Type, int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, ResponseOutputText Part);
