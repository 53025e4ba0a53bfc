#!/usr/bin/env bash
# Tokenizer throughput: npm tiktoken, npm gpt-tokenizer (cold and warm cache) and StreamingCodeGenerator's
# Tokenizer (cold = first call including the rank-table load, warm), single-threaded, on the same deterministic
# >= 5 MB prose + code corpus, for o200k_base and cl100k_base. Prints a markdown table.
#
#   benchmarks/run-tokenizer.sh [--megabytes 6] [--seed 42] [--iterations 5]
#
# Needs node >= 18, npm and the .NET 10 SDK. Row 3 of `compare` (see benchmarks/README.md) runs the same measurements
# into the one comparison table; this script prints the tokenizer's own fuller table (encode-to-ids rows included).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
megabytes=6
seed=42
iterations=5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --megabytes) megabytes="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$here/tokenizer" && { [[ -d node_modules ]] || npm ci --no-audit --no-fund >&2 || npm install --no-audit --no-fund >&2; })
node "$here/tokenizer/make-corpus.mjs" "$work/corpus.txt" --megabytes "$megabytes" --seed "$seed"

dotnet build "$here/StreamingCodeGenerator.Benchmarks/StreamingCodeGenerator.Benchmarks.csproj" -c Release -o "$work/bin" >&2

results="$work/results.jsonl"
for encoding in o200k_base cl100k_base; do
  node "$here/tokenizer/bench.mjs" "$work/corpus.txt" tiktoken "$encoding" "$iterations" >> "$results"
  node "$here/tokenizer/bench.mjs" "$work/corpus.txt" gpt-tokenizer "$encoding" "$iterations" >> "$results"
  dotnet "$work/bin/StreamingCodeGenerator.Benchmarks.dll" tokenizer --corpus "$work/corpus.txt" --encoding "$encoding" --iterations "$iterations" >> "$results"
done

echo "Corpus: $(wc -c < "$work/corpus.txt") bytes, seed $seed; $(uname -sm); node $(node --version); $(dotnet --version | sed 's/^/.NET SDK /')"
echo
node "$here/tokenizer/report.mjs" "$results"
