// A real client no one here wrote: OpenAI's official npm package, against the service's /v1/ routes.
// Usage: node openai-client.mjs   (SCG_BASE_URL = the service's /v1/ URL, OPENAI_NPM_DIR = where `openai` is installed)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.env.OPENAI_NPM_DIR + "/");
const OpenAI = require("openai").default ?? require("openai");
const client = new OpenAI({ baseURL: process.env.SCG_BASE_URL, apiKey: process.env.SCG_API_KEY ?? "no-key", maxRetries: 0 });
const messages = [{ role: "user", content: "Write a bubble sort in Python" }];
// The package's exports do not include package.json: read it from the folder it was installed into.
const version = JSON.parse(readFileSync(process.env.OPENAI_NPM_DIR + "/node_modules/openai/package.json", "utf8")).version;
const result = { version };

// Chat completions, streamed and whole.
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

// Models.
result.models = [];
for await (const model of await client.models.list()) {
  result.models.push(model.id);
}
result.retrieved = (await client.models.retrieve("gpt-4o-mini")).id;

// Responses: streamed event by event, through the SDK's accumulating helper, and whole.
const events = await client.responses.create({ model: "gpt-4o-mini", input: "Write a bubble sort in Python", stream: true });
result.responseEvents = [];
result.responseStreamed = "";
for await (const event of events) {
  result.responseEvents.push(event.type);
  if (event.type === "response.output_text.delta") result.responseStreamed += event.delta;
  if (event.type === "response.completed") result.responseUsage = event.response.usage;
}

const helper = client.responses.stream({ model: "gpt-4o-mini", input: [{ role: "user", content: [{ type: "input_text", text: "Write a bubble sort in Python" }] }] });
const final = await helper.finalResponse();
// Read from the output items the helper assembled (openai 5's helper does not set the output_text shortcut).
const assembled = final.output.flatMap((item) => item.content ?? []).filter((part) => part.type === "output_text").map((part) => part.text).join("");
result.responseHelper = { text: assembled, status: final.status };

const response = await client.responses.create({ model: "gpt-4o-mini", instructions: "You write Python.", input: "Write a bubble sort" });
result.responseWhole = { text: response.output_text, status: response.status, object: response.object, usage: response.usage };

try {
  await client.responses.create({ model: "gpt-4o-mini", input: "x", text: { format: { type: "json_object" } } });
} catch (error) {
  result.responseUnsupported = { status: error.status, code: error.code, param: error.param, message: error.message };
}

// A route the service does not have: OpenAI's error object, so the SDK's error says what happened.
try {
  await client.embeddings.create({ model: "text-embedding-3-small", input: "x" });
} catch (error) {
  result.unknownUrl = { status: error.status, code: error.code, type: error.type };
}

console.log(JSON.stringify(result));
