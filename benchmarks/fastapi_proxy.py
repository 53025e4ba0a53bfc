"""The earlier Python service's stack as a streaming service, for row 5 of `compare`: FastAPI + uvicorn, streaming each answer from an
OpenAI-compatible upstream with httpx (what the official openai Python client streams with). Written plainly, as a
user of that stack would: parse each chunk, re-emit its text as an OpenAI chunk, end with [DONE].

    UPSTREAM_URL=http://127.0.0.1:8001/v1 python3 -m uvicorn fastapi_proxy:app --port 8000 --no-access-log
"""
import json
import os
import time
import uuid

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

UPSTREAM_URL = os.environ.get("UPSTREAM_URL", "http://127.0.0.1:8001/v1")
API_KEY = os.environ.get("OPENAI_API_KEY", "sk-local")
MAX_CONNECTIONS = int(os.environ.get("UPSTREAM_MAX_CONNECTIONS", "1000"))

app = FastAPI()
# One client for the app. httpx's default pool (100 connections, 5 s to get one) would fail 500 concurrent streams;
# UPSTREAM_MAX_CONNECTIONS raises it further for row 6's thousands of slow streams.
client = httpx.AsyncClient(timeout=60.0, limits=httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_CONNECTIONS))


@app.post("/v1/chat/completions")
async def chat_completions(request: Request):
    payload = await request.json()
    payload["stream"] = True

    async def events():
        answer_id, created = "chatcmpl-" + uuid.uuid4().hex[:24], int(time.time())
        headers = {"Authorization": f"Bearer {API_KEY}"}
        async with client.stream("POST", f"{UPSTREAM_URL}/chat/completions", json=payload, headers=headers) as response:
            response.raise_for_status()
            async for line in response.aiter_lines():
                data = line[len("data: "):].strip() if line.startswith("data: ") else ""
                if not data or data == "[DONE]":
                    continue
                chunk = json.loads(data)
                for choice in chunk.get("choices", []):
                    text, finish = choice.get("delta", {}).get("content"), choice.get("finish_reason")
                    if text or finish:
                        out = {"id": answer_id, "object": "chat.completion.chunk", "created": created, "model": chunk.get("model"),
                               "choices": [{"index": 0, "delta": {"content": text} if text else {}, "finish_reason": finish}]}
                        yield f"data: {json.dumps(out)}\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")
