// scg: a thin console over StreamingCodeGenerator: parsing and display only; generation is the library's.
using StreamingCodeGeneration.Samples.Console;

return await ScgCommand.InvokeAsync(args);
