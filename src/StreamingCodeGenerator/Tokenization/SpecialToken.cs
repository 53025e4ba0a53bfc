namespace StreamingCodeGeneration;

/// <summary>A special token of an encoding, such as <c>&lt;|endoftext|&gt;</c>, and its id.</summary>
/// <param name="Text">The literal text of the token.</param>
/// <param name="Id">The token id.</param>
internal readonly record struct SpecialToken(string Text, int Id);
