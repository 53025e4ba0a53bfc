namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A numbered schema script; versions start at 1 and each runs once, in order, in one transaction with the rest.</summary>
/// <param name="Version">The schema version the script brings the database to.</param>
/// <param name="Description">What it does, stored in <c>schema_version</c>.</param>
/// <param name="Sql">The statements.</param>
internal sealed record Migration(int Version, string Description, string Sql);
