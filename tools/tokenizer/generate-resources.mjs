// Regenerates the embedded BPE rank resources of StreamingCodeGenerator's tokenizer from the npm
// `tiktoken` package pinned in package.json.
//
//   cd tools/tokenizer && npm ci && node generate-resources.mjs
//
// Output: src/StreamingCodeGenerator/Tokenization/Resources/<encoding>.ranks.br
// Format (before Brotli compression), little-endian:
//   "TKR1"            4 bytes magic
//   uint32 count      number of ranks; ranks are 0 .. count-1
//   count x { uint8 length, length bytes }   the token bytes, in rank order
// The regex and the special tokens are not stored: the C# code hard-codes them, and this script
// fails if the package's values ever differ from the ones the C# code implements.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "..", "..", "src", "StreamingCodeGenerator", "Tokenization", "Resources");

const expected = {
  cl100k_base: {
    pat_str: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    special_tokens: { "<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259, "<|fim_suffix|>": 100260, "<|endofprompt|>": 100276 },
  },
  o200k_base: {
    pat_str: "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    special_tokens: { "<|endoftext|>": 199999, "<|endofprompt|>": 200018 },
  },
};

const pkg = JSON.parse(readFileSync(join(here, "node_modules", "tiktoken", "package.json"), "utf8"));
const pinned = JSON.parse(readFileSync(join(here, "package.json"), "utf8")).dependencies.tiktoken;
if (pkg.version !== pinned) {
  throw new Error(`tiktoken ${pkg.version} is installed but package.json pins ${pinned}; run npm ci.`);
}

/** Parses tiktoken's compact rank format: "! <offset> <b64> <b64> ..." lines or "<b64> <rank>" lines. */
function parseRanks(text) {
  const byRank = [];
  for (const line of text.split("\n")) {
    if (line.length === 0) continue;
    const parts = line.split(" ");
    if (parts[0] === "!") {
      let rank = Number.parseInt(parts[1], 10);
      for (let i = 2; i < parts.length; i++) byRank[rank++] = Buffer.from(parts[i], "base64");
    } else {
      byRank[Number.parseInt(parts[1], 10)] = Buffer.from(parts[0], "base64");
    }
  }
  for (let i = 0; i < byRank.length; i++) {
    if (byRank[i] === undefined) throw new Error(`rank ${i} is missing`);
  }
  return byRank;
}

mkdirSync(outDir, { recursive: true });
for (const [name, want] of Object.entries(expected)) {
  const json = JSON.parse(readFileSync(join(here, "node_modules", "tiktoken", "encoders", `${name}.json`), "utf8"));
  if (json.pat_str !== want.pat_str) throw new Error(`${name}: pat_str changed; update the C# pre-tokenizer first.\n${json.pat_str}`);
  if (JSON.stringify(json.special_tokens) !== JSON.stringify(want.special_tokens)) {
    throw new Error(`${name}: special tokens changed: ${JSON.stringify(json.special_tokens)}`);
  }
  const ranks = parseRanks(json.bpe_ranks);
  const seen = new Set();
  let size = 8;
  for (const bytes of ranks) {
    if (bytes.length === 0 || bytes.length > 255) throw new Error(`${name}: token of ${bytes.length} bytes`);
    const key = bytes.toString("latin1");
    if (seen.has(key)) throw new Error(`${name}: duplicate token`);
    seen.add(key);
    size += 1 + bytes.length;
  }
  const raw = Buffer.alloc(size);
  raw.write("TKR1", 0, "latin1");
  raw.writeUInt32LE(ranks.length, 4);
  let at = 8;
  for (const bytes of ranks) {
    raw[at++] = bytes.length;
    bytes.copy(raw, at);
    at += bytes.length;
  }
  const compressed = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const file = join(outDir, `${name}.ranks.br`);
  writeFileSync(file, compressed);
  console.log(`${name}: ${ranks.length} ranks, ${raw.length} bytes raw, ${compressed.length} bytes compressed -> ${file}`);
}
