// Turns the JSON lines of bench.mjs and the .NET benchmark into a markdown table.
//
//   node report.mjs <results.jsonl>
import { readFileSync } from "node:fs";

const rows = readFileSync(process.argv[2], "utf8").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
const find = (impl, encoding, mode) => rows.find((r) => r.impl === impl && r.encoding === encoding && r.mode === mode);
const label = {
  tiktoken: "npm tiktoken (WASM)",
  "gpt-tokenizer": "npm gpt-tokenizer",
  ours: "StreamingCodeGenerator",
};

const lines = [];
lines.push("| Encoding | Implementation | Mode | MB/s | vs npm tiktoken (warm) | vs gpt-tokenizer (warm) | Tokens |");
lines.push("|---|---|---|---:|---:|---:|---:|");
const problems = [];
const notes = [];
for (const encoding of ["o200k_base", "cl100k_base"]) {
  const tiktokenWarm = find("tiktoken", encoding, "warm");
  const gptWarm = find("gpt-tokenizer", encoding, "warm");
  for (const r of rows.filter((x) => x.encoding === encoding && x.mbPerSecond !== undefined)) {
    const vsTiktoken = tiktokenWarm ? (r.mbPerSecond / tiktokenWarm.mbPerSecond).toFixed(2) + "x" : "n/a";
    const vsGpt = gptWarm ? (r.mbPerSecond / gptWarm.mbPerSecond).toFixed(2) + "x" : "n/a";
    lines.push(`| ${encoding} | ${label[r.impl] ?? r.impl} | ${r.mode} | ${r.mbPerSecond.toFixed(1)} | ${vsTiktoken} | ${vsGpt} | ${r.tokens} |`);
    if (tiktokenWarm && r.tokens !== tiktokenWarm.tokens) {
      (r.impl === "ours" ? problems : notes).push(`${label[r.impl] ?? r.impl} ${encoding} ${r.mode}: ${r.tokens} tokens, npm tiktoken says ${tiktokenWarm.tokens}`);
    }
  }
}
lines.push("");
lines.push("| Encoding | Implementation | \"a\" x 100,000 (ms) | Tokens |");
lines.push("|---|---|---:|---:|");
for (const r of rows.filter((x) => x.mode === "worst-case-a-x-100000")) {
  lines.push(`| ${r.encoding} | ${label[r.impl] ?? r.impl} | ${r.ms.toFixed(1)} | ${r.tokens} |`);
}
console.log(lines.join("\n"));
if (notes.length > 0) {
  console.log("\nCount differences of baselines (informational):\n" + [...new Set(notes)].join("\n"));
}
if (problems.length > 0) {
  console.log("\nTOKEN COUNT MISMATCHES (StreamingCodeGenerator vs npm tiktoken):\n" + problems.join("\n"));
  process.exitCode = 1;
}
