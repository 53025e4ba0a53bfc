// Regenerates tests/StreamingCodeGenerator.Tests/Tokenization/Fixtures/tiktoken-cases.json: every corpus file
// under Fixtures/corpus plus the inline edge cases below, with the token ids npm `tiktoken` (pinned in
// package.json) produces for o200k_base and cl100k_base. CI only reads the JSON; it never needs npm.
//
//   cd tools/tokenizer && npm ci && node generate-fixtures.mjs
//
// Texts are stored inline (JSON escapes keep CRLF and odd characters safe from editors and git).
// A text with lone surrogates is stored as "utf16": [code units] because JSON readers reject them.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { get_encoding } from "tiktoken";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "..", "tests", "StreamingCodeGenerator.Tests", "Tokenization", "Fixtures");

const inline = [
  ["empty", ""],
  ["single-space", " "],
  ["crlf-prose", "First line.\r\nSecond line.\r\n\r\nThird after blank.\r\n"],
  ["crlf-code", "if (x)\r\n{\r\n    return 1;\r\n}\r\n\r\n\r\n"],
  ["lone-cr-and-lf-mix", "a\rb\nc\r\n\n\r\r\nd \r\n e\t\r\n\tf"],
  ["digits", "0 1 12 123 1234 12345 123456 1234567 3.14159265358979 1,234,567.89 -42 +7 1e-10 0xFF 2024-05-13"],
  ["digit-run-long", "12345678901234567890123456789012345678901234567890"],
  ["unicode-digits", "٠١٢٣٤٥٦٧٨٩ ۱۲۳ १२३४ ①②③ ½¾ Ⅻ ⅷ 𝟏𝟐𝟑 𝟘𝟙"],
  ["emoji", "😀😃😄 👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 🇺🇸🇬🇧 ❤️ ✔️ 🤖: done! 🎉🎉🎉"],
  ["surrogate-pairs-letters", "𝖨 𝐀 𝟏 𠀀 𠮷 𝕳𝖊𝖑𝖑𝖔 𝐇𝐞𝐥𝐥𝐨 𠮷野家 𐐀𐐨 𐍈"],
  ["astral-mixed-case", "𝐀b 𝐚B a𝐀 A𝐚 𐐀𐐨𐐀 x𐐀y"],
  ["cjk", "中文分词测试：我们今天去北京大学。日本語のテキスト、カタカナ。한국어 텍스트입니다。"],
  ["cjk-long-no-spaces", "我能吞下玻璃而不伤身体我能吞下玻璃而不伤身体我能吞下玻璃而不伤身体我能吞下玻璃而不伤身体我能吞下玻璃而不伤身体"],
  ["special-token-lookalikes", "<|endoftext|> <|endofprompt|> <|fim_prefix|><|fim_middle|><|fim_suffix|> <|im_start|>user<|im_end|> <| endoftext |> <|endoftext"],
  ["nel-bom-and-friends", "a\u0085b \u0085 c\uFEFFd \uFEFF\uFEFF e\u00A0f\u2028g\u2029h\u3000i\u200Bj\u180Ek\u2060l \u000B\u000C m"],
  ["contractions", "it's I'M you're YOU'RE we've they'll he'd she'S It'LL DON'T can't won't isn't o'clock 'tis ''s 'S rock'n'roll"],
  ["contractions-unicode", "itſ it'ſ IT'ſ naïve'S café's Straße's İstanbul'un"],
  ["mixed-case", "HelloWorld helloWorld HELLO_WORLD XMLHttpRequest iPhone eBay McDonald's camelCaseIdentifier PascalCaseIdentifier SCREAMING_SNAKE kebab-case ALLCAPS lowercase"],
  ["modifier-and-titlecase", "ǅemal ǈubljana ǋ ʰX ʰXa Xʰ aʰB ʰʰʰ ˢᵗʳ Ⅷx ᵃᵇᶜ ǅǅǅ"],
  ["combining-marks", "e\u0301 a\u0300\u0301\u0302 \u0301\u0301x \u0301 Z\u0351\u0352\u0353 n\u0303o re\u0301sume\u0301 \u20DD \u0915\u094D\u0937"],
  ["punctuation-runs", "!!! ??? ... --- === *** ### @@@ $$$ %%% ^^^ &&& ((( ))) [[[ ]]] {{{ }}} <<< >>> /// \\\\\\ ||| ~~~ ``` ''' \"\"\" ;;; ::: ,,,"],
  ["punctuation-newlines-slashes", "}\n/\n// comment\r\n/* block */\n//\n\n*/\r\n/\r/\n end }/\n/ ;\r\n\r\n"],
  ["whitespace-runs", "a" + " ".repeat(40) + "b" + "\t".repeat(10) + "c" + " \t ".repeat(5) + "\n" + " ".repeat(8) + "d   \n   \n\n\n    e"],
  ["trailing-whitespace", "end with spaces    "],
  ["trailing-newlines", "end with newlines\n\n\n"],
  ["leading-whitespace", "     \n\t  start"],
  ["only-whitespace", " \t \n \r\n   \u3000 "],
  ["space-before-punct", "a , b ; c . d ! e ? f \" g ' h ( i ) j"],
  ["urls-and-paths", "https://github.com/openai/tiktoken/blob/main/src/lib.rs#L123 C:\\Users\\me\\file.txt /usr/local/bin/node ~/.config/app.json"],
  ["long-word", "Pneumonoultramicroscopicsilicovolcanoconiosis Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"],
  ["repeated-letter-500", "a".repeat(500)],
  ["repeated-pattern", "ab".repeat(300) + " " + "xyz".repeat(200)],
  ["base64-blob", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="],
  ["hex-and-uuid", "550e8400-e29b-41d4-a716-446655440000 deadbeefcafebabe 0123456789abcdefABCDEF"],
  ["math-and-symbols", "∑_{i=1}^{n} x_i² ≤ ∞ ∀x∈ℝ ∃y: x≠y → λ·μ ≈ π ± ε ⊕ ⊗ ∮ ℵ₀ °C €100 £5 ¥300 ₹ ©®™ §¶†‡"],
  ["replacement-char", "a\uFFFDb \uFFFD\uFFFD c"],
  ["private-use-and-noncharacters", "\uE000\uF8FF x \uFFFE \uFFFF y \u{10FFFD} \u{F0000}"],
  ["controls", "a\u0000b\u0001c\u001Fd\u007Fe\u0080f\u009Fg"],
  ["lone-high-surrogate", "abc\uD83D def"],
  ["lone-low-surrogate", "abc\uDE00def"],
  ["lone-surrogates-mixed", "\uD800\uD800x\uDC00\uDC00 \uD83D\uDE00\uD83D \uDBFF"],
  ["lone-high-at-end", "hello\uD83D"],
  ["lone-high-before-letter", "x\uD835y \uD835A"],
];

const special = [
  ["special-allowed", "Hello<|endoftext|>World <|endofprompt|> <|fim_prefix|>a<|fim_middle|>b<|fim_suffix|>c"],
  ["special-allowed-adjacent", "<|endoftext|><|endoftext|> x <|endoftext|>"],
  ["special-allowed-partial", "<|endoftext <|endoftext|>| <<|endoftext|>>"],
];

// Deterministic random strings: a weighted pool of pre-tokenizer edge cases mixed with arbitrary code points
// (including lone surrogates), so that CI also covers combinations nobody thought of.
function randomCases(count, seed) {
  let state = seed;
  const next = () => { state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff; return state / 0x80000000; };
  const pool = ["a", "b", "s", "t", "l", "e", "A", "B", "Z", " ", " ", " ", "\t", "\r", "\n", "\r\n", "'", "'", "/", ".", ",",
    "!", "?", "-", "_", "(", "0", "1", "9", "\u0663", "\u00BD", "\u00E9", "\u00DF", "\u0416", "\u0436", "\u01C5", "\u02B0",
    "\u0301", "\u4E2D", "\u3042", "\uD55C", "\u00A0", "\u0085", "\uFEFF", "\u3000", "\u{1F600}", "\u{1F44D}\u{1F3FD}",
    "\u{1D400}", "\u{1D41A}", "\u{1D7CF}", "\u{20BB7}", "\u017F", "\u0130", "\uD800", "\uDC00", "'s", "'LL", "'re", "  ",
    "   ", "\n\n", " /", "//", "123", "4567"];
  const cases = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + Math.floor(next() * 60);
    let text = "";
    for (let k = 0; k < length; k++) {
      const r = next();
      if (r < 0.7) text += pool[Math.floor(next() * pool.length)];
      else if (r < 0.85) text += String.fromCodePoint(Math.floor(next() * 0x3000));
      else if (r < 0.95) text += String.fromCodePoint(Math.floor(next() * 0x10000));
      else text += String.fromCodePoint(0x10000 + Math.floor(next() * 0x20000));
    }
    cases.push([`random-${String(i).padStart(3, "0")}`, text]);
  }
  return cases;
}

function hasLoneSurrogate(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) { i++; continue; }
      return true;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

const encodings = ["o200k_base", "cl100k_base"];
const encoders = Object.fromEntries(encodings.map((e) => [e, get_encoding(e)]));

function makeCase(name, text, allowSpecial) {
  const c = { name };
  if (hasLoneSurrogate(text)) c.utf16 = utf16(text);
  else c.text = text;
  if (allowSpecial) c.allowSpecialTokens = true;
  for (const e of encodings) {
    const ids = allowSpecial ? encoders[e].encode(text, "all") : encoders[e].encode_ordinary(text);
    c[e] = Array.from(ids);
  }
  return c;
}

/** The UTF-16 code units of text (Array.from would iterate code points). */
function utf16(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
  return out;
}

const cases = [];
const corpusDir = join(fixtures, "corpus");
for (const file of readdirSync(corpusDir).sort()) {
  cases.push(makeCase(`corpus/${file}`, readFileSync(join(corpusDir, file), "utf8"), false));
}
for (const [name, text] of inline) cases.push(makeCase(name, text, false));
for (const [name, text] of randomCases(150, 20250101)) cases.push(makeCase(name, text, false));
for (const [name, text] of special) cases.push(makeCase(name, text, true));

const pkg = JSON.parse(readFileSync(join(here, "node_modules", "tiktoken", "package.json"), "utf8"));
const out = { generator: "tools/tokenizer/generate-fixtures.mjs", tiktoken: pkg.version, cases };
const json = "{\n" +
  `  "generator": ${JSON.stringify(out.generator)},\n  "tiktoken": ${JSON.stringify(out.tiktoken)},\n  "cases": [\n` +
  cases.map((c) => "    " + JSON.stringify(c)).join(",\n") + "\n  ]\n}\n";
writeFileSync(join(fixtures, "tiktoken-cases.json"), json);
for (const e of encodings) encoders[e].free();
console.log(`${cases.length} cases written`);
