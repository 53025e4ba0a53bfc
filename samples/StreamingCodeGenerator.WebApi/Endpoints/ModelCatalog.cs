using Microsoft.Extensions.Options;
using StreamingCodeGeneration.WebApi.Hosting;
using StreamingCodeGeneration.WebApi.OpenAI;

namespace StreamingCodeGeneration.WebApi.Endpoints;

/// <summary>
/// The models a client can name: the configured one first, then <c>WebApi:AllowedModels</c>, each once. Fixed at
/// start, dated then.
/// </summary>
internal sealed class ModelCatalog
{
    public ModelCatalog(StreamingCodeGenerator generator, IOptions<WebApiOptions> options, TimeProvider time)
    {
        long created = time.GetUtcNow().ToUnixTimeSeconds();
        var names = new List<string> { generator.Options.Model };
        foreach (string allowed in options.Value.AllowedModels)
        {
            if (!names.Contains(allowed, StringComparer.Ordinal))
            {
                names.Add(allowed);
            }
        }

        Models = new ModelList([.. names.Select(name => new ModelInfo(name, created, "system"))]);
    }

    public ModelList Models { get; }

    public ModelInfo? Find(string id) => Models.Data.FirstOrDefault(model => string.Equals(model.Id, id, StringComparison.Ordinal));
}
