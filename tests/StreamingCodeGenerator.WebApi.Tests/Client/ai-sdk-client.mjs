// A real client no one here wrote: the Vercel AI SDK (`ai` with `@ai-sdk/openai`), whose default OpenAI model speaks
// the Responses API (POST /v1/responses), and whose `.chat()` model speaks chat completions.
// Usage: node ai-sdk-client.mjs   (SCG_BASE_URL = the service's /v1/ URL, AI_SDK_NPM_DIR = where the packages are)
import { createRequire } from "node:module";

const require = createRequire(process.env.AI_SDK_NPM_DIR + "/");
const { generateText, streamText, generateObject } = require("ai");
const { createOpenAI } = require("@ai-sdk/openai");
const { z } = require("zod");
const openai = createOpenAI({ baseURL: process.env.SCG_BASE_URL, apiKey: "no-key" });
const model = openai("gpt-4o-mini");
const prompt = "Write a bubble sort in Python";
const result = { versions: { ai: require("ai/package.json").version, "@ai-sdk/openai": require("@ai-sdk/openai/package.json").version } };

const generated = await generateText({ model, prompt, maxRetries: 0 });
result.generated = { text: generated.text, finishReason: generated.finishReason, usage: generated.usage, warnings: generated.warnings ?? [] };

const streamed = streamText({ model, prompt, maxRetries: 0, onError: ({ error }) => { result.streamError = String(error); } });
let text = "";
for await (const piece of streamed.textStream) {
  text += piece;
}
result.streamed = { text, finishReason: await streamed.finishReason, usage: await streamed.usage };

// A conversation: a system message, an earlier answer, a follow-up.
const followUp = await generateText({
  model,
  system: "You write Python.",
  messages: [
    { role: "user", content: "Write a bubble sort." },
    { role: "assistant", content: "def bubble_sort(xs): ..." },
    { role: "user", content: "Now add a docstring." },
  ],
  maxRetries: 0,
});
result.followUp = followUp.text;

// Structured output cannot be honoured: the service says so with a 400 naming the field, on both APIs.
for (const [name, objectModel] of [["responses", model], ["chat", openai.chat("gpt-4o-mini")]]) {
  try {
    const object = await generateObject({ model: objectModel, schema: z.object({ code: z.string() }), prompt, maxRetries: 0 });
    result[name + "Object"] = { unexpected: object.object };
  } catch (error) {
    const cause = error.lastError ?? error.cause ?? error;
    result[name + "Object"] = { name: error.name, status: cause.statusCode, message: cause.message, body: cause.responseBody };
  }
}

console.log(JSON.stringify(result));
