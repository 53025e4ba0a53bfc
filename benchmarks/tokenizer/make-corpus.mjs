// Builds the deterministic benchmark corpus: slices of committed text (the tokenizer fixture corpus, the fixture
// cases, and the repository's C#, Markdown and script sources), picked by a seeded PRNG until the corpus reaches
// the requested size. Same commit + same seed = same corpus.
//
//   node make-corpus.mjs <out-file> [--megabytes 6] [--seed 42]
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const args = process.argv.slice(2);
const out = args[0];
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const targetBytes = option("--megabytes", 6) * 1e6;
let state = option("--seed", 42) >>> 0 || 1;
const next = () => {
  // xorshift32
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state / 0x100000000;
};

function walk(dir, files) {
  for (const name of readdirSync(dir).sort()) {
    if (name === "node_modules" || name === "bin" || name === "obj" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, files);
    else if (/\.(cs|md|mjs|sh|txt|props|csproj)$/.test(name)) files.push(path);
  }
  return files;
}

const sources = [];
for (const file of walk(root, [])) {
  if (relative(root, file).startsWith("benchmarks")) continue;
  sources.push(readFileSync(file, "utf8"));
}
const cases = JSON.parse(readFileSync(join(root, "tests", "StreamingCodeGenerator.Tests", "Tokenization", "Fixtures", "tiktoken-cases.json"), "utf8"));
// The synthetic worst cases ("a" x 500 and friends) are measured on their own, not as part of the mixed corpus.
for (const c of cases.cases) if (c.text && !/^(random|repeated)-/.test(c.name)) sources.push(c.text);

// Slices start and end at line breaks, so code stays code and prose stays prose.
const parts = [];
let bytes = 0;
while (bytes < targetBytes) {
  const source = sources[Math.floor(next() * sources.length)];
  const lines = source.split("\n");
  const from = Math.floor(next() * lines.length);
  const count = 1 + Math.floor(next() * 60);
  const slice = lines.slice(from, from + count).join("\n") + "\n";
  parts.push(slice);
  bytes += Buffer.byteLength(slice, "utf8");
}
writeFileSync(out, parts.join(""));
console.error(`corpus: ${sources.length} sources, ${(bytes / 1e6).toFixed(2)} MB -> ${out}`);
