// A real client no one here wrote: OpenAI's official npm package, against the service's /v1/chat/completions.
// Usage: node openai-client.mjs   (SCG_BASE_URL = the service's /v1/ URL, OPENAI_NPM_DIR = where `openai` is installed)
import { createRequire } from "node:module";

const require = createRequire(process.env.OPENAI_NPM_DIR + "/");
const OpenAI = require("openai").default ?? require("openai");
const client = new OpenAI({ baseURL: process.env.SCG_BASE_URL, apiKey: process.env.SCG_API_KEY ?? "no-key", maxRetries: 0 });
const messages = [{ role: "user", content: "Write a bubble sort in Python" }];
const result = {};

const stream = await client.chat.completions.create({ model: "gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } });
let streamed = "";
for await (const chunk of stream) {
  streamed += chunk.choices[0]?.delta?.content ?? "";
  if (chunk.choices[0]?.finish_reason) result.finishReason = chunk.choices[0].finish_reason;
  if (chunk.usage) result.usage = chunk.usage;
}
result.streamed = streamed;

const completion = await client.chat.completions.create({ model: "gpt-4o-mini", messages });
result.whole = completion.choices[0].message.content;
result.object = completion.object;

try {
  await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "tool", content: "x" }] });
} catch (error) {
  result.badRequest = { status: error.status, code: error.code, message: error.message };
}

console.log(JSON.stringify(result));
