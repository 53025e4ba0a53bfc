-- wrk script for row 5 of `compare`: each connection POSTs a streaming chat completion and reads the stream to its end,
-- again and again. wrk's latency is the whole stream's time; response() checks each stream: HTTP 200, every stamped
-- chunk of the paced upstream ("[seq timestamp] ") present, and [DONE]. done() prints one JSON line for the harness.
--
--   CHUNKS=100 wrk -t2 -c500 -d10s --timeout 30s -s benchmarks/web/stream.lua http://127.0.0.1:PORT/v1/chat/completions

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Write a bubble sort in C#"}]}'

local expected = tonumber(os.getenv("CHUNKS") or "0")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok = 0
  bad_status = 0
  incomplete = 0
end

function response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
    return
  end
  local _, stamps = string.gsub(body, "%[%d+ %d+%] ", "")
  if stamps ~= expected or not string.find(body, "data: [DONE]", 1, true) then
    incomplete = incomplete + 1
  else
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local good, status, short = 0, 0, 0
  for _, thread in ipairs(threads) do
    good = good + thread:get("ok")
    status = status + thread:get("bad_status")
    short = short + thread:get("incomplete")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"ok":%d,"badStatus":%d,"incomplete":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,"durationUs":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f}\n',
    summary.requests, good, status, short, e.connect, e.read, e.write, e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
