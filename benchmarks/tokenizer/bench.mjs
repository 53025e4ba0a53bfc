// Measures one npm tokenizer on the corpus, single-threaded, in a fresh process so that "cold" is honest.
//
//   node bench.mjs <corpus> <tiktoken|gpt-tokenizer> <o200k_base|cl100k_base> [iterations] [worst-case length]
//
// Prints one JSON line per measurement. MB means 10^6 UTF-8 bytes.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const [corpusPath, impl, encoding, iterationsArg, worstArg] = process.argv.slice(2);
const iterations = Number(iterationsArg ?? 3);
// The worst case: one piece without white space, "a" x this many (compare --smoke uses a short one; 0 skips it).
const worstLength = Number(worstArg ?? 100000);
const worstMode = `worst-case-a-x-${worstLength}`;
const text = readFileSync(corpusPath, "utf8");
const mb = Buffer.byteLength(text, "utf8") / 1e6;

function report(mode, seconds, tokens) {
  console.log(JSON.stringify({ impl, encoding, mode, mb: +mb.toFixed(3), seconds: +seconds.toFixed(4), mbPerSecond: +(mb / seconds).toFixed(2), tokens }));
}

function median(run) {
  const times = [];
  let tokens = 0;
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    tokens = run();
    times.push((performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return [times[Math.floor(iterations / 2)], tokens];
}

if (impl === "tiktoken") {
  let start = performance.now();
  const { get_encoding } = await import("tiktoken");
  const enc = get_encoding(encoding);
  let tokens = enc.encode_ordinary(text).length;
  report("cold", (performance.now() - start) / 1000, tokens);
  const [warm, warmTokens] = median(() => enc.encode_ordinary(text).length);
  report("warm", warm, warmTokens);
  if (worstLength > 0) {
    const worst = "a".repeat(worstLength);
    start = performance.now();
    tokens = enc.encode_ordinary(worst).length;
    console.log(JSON.stringify({ impl, encoding, mode: worstMode, ms: +(performance.now() - start).toFixed(3), tokens }));
  }
  enc.free();
} else if (impl === "gpt-tokenizer") {
  // Special-token text in the corpus is ordinary text, as in tiktoken's encode_ordinary.
  const options = { disallowedSpecial: new Set() };
  const start = performance.now();
  const lib = await import(`gpt-tokenizer/encoding/${encoding}`);
  const tokens = lib.countTokens(text, options);
  report("cold", (performance.now() - start) / 1000, tokens);
  const [warm, warmTokens] = median(() => lib.countTokens(text, options));
  report("warm", warm, warmTokens);
  if (worstLength > 0) {
    const worst = "a".repeat(worstLength);
    const t0 = performance.now();
    const worstTokens = lib.countTokens(worst, options);
    console.log(JSON.stringify({ impl, encoding, mode: worstMode, ms: +(performance.now() - t0).toFixed(3), tokens: worstTokens }));
  }
} else {
  throw new Error(`unknown implementation ${impl}`);
}
