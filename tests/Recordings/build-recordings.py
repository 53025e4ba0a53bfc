#!/usr/bin/env python3
"""Rebuilds the recordings in this folder from the public repositories they come from (see SOURCES.md).

Needs local clones of the repositories named in SOURCES (at the commits given there), passed as
--repo owner/name=PATH. Writes every `<name>.sse` file byte for byte; then run derive-expected.py.
Recordings stored as JSON lines (vercel/ai's `*.chunks.txt`) are framed the way both APIs frame every
event: `event: <type>\\n`, `data: <the line>\\n`, a blank line. Derived recordings (SOURCES.md says
which) are built from a real one by the steps in `derive_*` below.
"""
import argparse, json, subprocess, sys, yaml

VERCEL = ('vercel/ai', 'ed857f50f112e23930b0c2dd8d532cc8bebbc911')
VERCEL_FAILED = ('vercel/ai', '945f104b191ad721a736530a3203dcce70f81dea')
PYDANTIC = ('pydantic/pydantic-ai', '4fda38988f2939fa6ea9cdefcf120693e10ef491')
DOTNET = ('openai/openai-dotnet', 'b3b4bbbc31cebef0f4978071d586856360173c89')
ANTHROPIC_PY = ('anthropics/anthropic-sdk-python', '009b035305e0724ce108ebd796935f91711fc6e1')
ANTHROPIC_TS = ('anthropics/anthropic-sdk-typescript', 'bfa9197f0182084941052be9752c948638421601')

REPOS = {}


def show(source, path):
    (name, commit) = source
    return subprocess.run(['git', '-C', REPOS[name], 'show', f'{commit}:{path}'], capture_output=True, check=True).stdout


def cassette(path, index):
    """A pydantic-ai VCR cassette: the response body of interaction `index`, as recorded."""
    doc = yaml.safe_load(show(PYDANTIC, 'tests/models/cassettes/' + path).decode('utf-8'))
    return doc['interactions'][index]['response']['body']['string'].encode('utf-8')


def session_record(path, index):
    """An openai-dotnet test-proxy session record: ResponseBody is the body, one array item per line."""
    doc = json.loads(show(DOTNET, 'tests/SessionRecords/' + path))
    return ''.join(doc['Entries'][index]['ResponseBody']).encode('utf-8')


def json_lines(source, path):
    """A vercel/ai `*.chunks.txt`: one event's data per line; the event type is the data's `type`."""
    out = bytearray()
    for line in show(source, path).decode('utf-8').split('\n'):
        if line.strip():
            out += ('event: ' + json.loads(line)['type'] + '\ndata: ' + line + '\n\n').encode('utf-8')
    return bytes(out)


def sdk_fixture(path):
    """An Anthropic Python SDK fixture. Some end without the blank line that ends the last event (the SDK's test
    decoder dispatches it anyway; an SSE parser that follows the specification drops it): the API itself always sends
    it, so it is added."""
    body = show(ANTHROPIC_PY, path)
    return body if body.endswith(b'\n\n') else body + (b'\n' if body.endswith(b'\n') else b'\n\n')


def split_events(body):
    """(event, data) pairs of an SSE body whose events end with a blank line (LF only, as all sources here)."""
    text = body.decode('utf-8')
    return [block for block in text.split('\n\n') if block.strip()]


def frame(event_type, data):
    return 'event: ' + event_type + '\ndata: ' + json.dumps(data, separators=(',', ':'), ensure_ascii=False) + '\n\n'


def data_of(block):
    return json.loads(block.split('\ndata: ', 1)[1])


# --- Derived recordings -------------------------------------------------------------------------------------

def responses_base():
    return session_record('ResponsesTests/StreamingResponses.json', 0)


def derive_responses_cut():
    """The real hello stream cut after its sixth text delta: no done events, no response.completed."""
    blocks, out, deltas = split_events(responses_base()), [], 0
    for block in blocks:
        out.append(block + '\n\n')
        if 'event: response.output_text.delta' in block:
            deltas += 1
            if deltas == 6:
                break
    return ''.join(out).encode('utf-8')


def derive_responses_incomplete():
    """The real hello stream stopped after four text deltas the way a max_output_tokens stop ends
    (field for field as OpenAI documents response.incomplete): done events with the partial text, the
    message item `incomplete`, and response.incomplete with incomplete_details.reason max_output_tokens."""
    blocks, out, deltas, seq = split_events(responses_base()), [], 0, 0
    partial = ''
    for block in blocks:
        data = data_of(block)
        if data['type'] == 'response.output_text.delta':
            if deltas == 4:
                continue
            deltas += 1
            partial += data['delta']
        if data['type'] in ('response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed'):
            if data['type'] == 'response.output_text.done':
                data['text'] = partial
            elif data['type'] == 'response.content_part.done':
                data['part']['text'] = partial
            elif data['type'] == 'response.output_item.done':
                data['item']['status'] = 'incomplete'
                data['item']['content'][0]['text'] = partial
            else:
                data['type'] = 'response.incomplete'
                response = data['response']
                response['status'] = 'incomplete'
                response['incomplete_details'] = {'reason': 'max_output_tokens'}
                response['max_output_tokens'] = 4
                response['output'][0]['status'] = 'incomplete'
                response['output'][0]['content'][0]['text'] = partial
                response['usage'] = {'input_tokens': 11, 'input_tokens_details': {'cached_tokens': 0}, 'output_tokens': 4,
                                     'output_tokens_details': {'reasoning_tokens': 0}, 'total_tokens': 15}
        data['sequence_number'] = seq
        seq += 1
        out.append(frame(data['type'], data))
    return ''.join(out).encode('utf-8')


REFUSAL = ["I'm", " sorry", ",", " but", " I", " can't", " assist", " with", " that", "."]


def derive_responses_refusal():
    """The real hello stream with its output_text part turned into a refusal part, as OpenAI streams a
    refusal: content_part.added with a `refusal` part, response.refusal.delta events, response.refusal.done."""
    blocks, out, seq, sent = split_events(responses_base()), [], 0, False
    text = ''.join(REFUSAL)
    for block in blocks:
        data = data_of(block)
        t = data['type']
        if t == 'response.output_text.delta':
            if sent:
                continue
            sent = True
            for piece in REFUSAL:
                out.append(frame('response.refusal.delta', {'type': 'response.refusal.delta', 'sequence_number': seq,
                    'item_id': data['item_id'], 'output_index': 0, 'content_index': 0, 'delta': piece}))
                seq += 1
            continue
        if t == 'response.content_part.added':
            data['part'] = {'type': 'refusal', 'refusal': ''}
        elif t == 'response.output_text.done':
            data = {'type': 'response.refusal.done', 'sequence_number': 0, 'item_id': data['item_id'],
                    'output_index': 0, 'content_index': 0, 'refusal': text}
        elif t == 'response.content_part.done':
            data['part'] = {'type': 'refusal', 'refusal': text}
        elif t == 'response.output_item.done':
            data['item']['content'] = [{'type': 'refusal', 'refusal': text}]
        elif t == 'response.completed':
            data['response']['output'][0]['content'] = [{'type': 'refusal', 'refusal': text}]
        data['sequence_number'] = seq
        seq += 1
        out.append(frame(data['type'], data))
    return ''.join(out).encode('utf-8')


SERVER_ERROR = ('The server had an error processing your request. Sorry about that! You can retry your request, '
                'or contact us through our help center at help.openai.com if you keep seeing this error.')


def derive_responses_midstream_error():
    """The real hello stream interrupted after five text deltas by an `error` event and response.failed,
    both in the shape of the real insufficient_quota recording (openai-error.1.chunks.txt)."""
    blocks, out, deltas, seq = split_events(responses_base()), [], 0, 0
    created = None
    for block in blocks:
        data = data_of(block)
        if data['type'] == 'response.created':
            created = data['response']
        out.append(block + '\n\n')
        seq = data['sequence_number'] + 1
        if data['type'] == 'response.output_text.delta':
            deltas += 1
            if deltas == 5:
                break
    out.append(frame('error', {'type': 'error', 'sequence_number': seq, 'error': {'type': 'server_error', 'code': 'server_error',
                                                                                  'message': SERVER_ERROR, 'param': None}}))
    failed = dict(created)
    failed['status'] = 'failed'
    failed['error'] = {'code': 'server_error', 'message': SERVER_ERROR}
    out.append(frame('response.failed', {'type': 'response.failed', 'sequence_number': seq + 1, 'response': failed}))
    return ''.join(out).encode('utf-8')


def anthropic_basic():
    return sdk_fixture('tests/lib/streaming/fixtures/basic_response.txt')


def derive_anthropic_overloaded():
    """The real basic stream after its second text delta, then the error event exactly as the official
    TypeScript SDK's tests send it (tests/streaming.test.ts, 'error handling')."""
    out, deltas = [], 0
    for block in split_events(anthropic_basic()):
        out.append(block + '\n\n')
        if block.startswith('event: content_block_delta'):
            deltas += 1
            if deltas == 2:
                break
    error = None
    for line in show(ANTHROPIC_TS, 'tests/streaming.test.ts').decode('utf-8').split('\n'):
        if "yield Buffer.from('data: {\"type\":\"error\"" in line:
            error = line.split("Buffer.from('", 1)[1].rsplit("')", 1)[0]
            break
    out.append('event: error\n' + error + '\n\n')
    return ''.join(out).encode('utf-8')


def derive_anthropic_cut():
    """The real claude-sonnet-4-5 text stream cut after its fourth text delta: no content_block_stop,
    message_delta or message_stop."""
    out, deltas = [], 0
    for block in split_events(json_lines(VERCEL, 'packages/anthropic/src/__fixtures__/anthropic-text.chunks.txt')):
        out.append(block + '\n\n')
        if block.startswith('event: content_block_delta'):
            deltas += 1
            if deltas == 4:
                break
    return ''.join(out).encode('utf-8')


RESPONSES = {
    'text-hello-gpt-4o-mini': responses_base,
    'text-capital-gpt-4o': lambda: cassette('test_openai_responses/test_openai_responses_stream.yaml', 1),
    'tool-call-only-gpt-4o': lambda: cassette('test_openai_responses/test_openai_responses_stream.yaml', 0),
    'code-answer-code-interpreter-gpt-4o-mini': lambda: session_record('ResponsesToolTests/CodeInterpreterToolStreaming.json', 0),
    'reasoning-summary-o3-mini': lambda: cassette('test_openai_responses/test_openai_responses_thinking_part_iter.yaml', 0),
    'reasoning-summary-cached-gpt-5': lambda: cassette('test_openai_responses/test_openai_responses_thinking_with_code_execution_tool_stream.yaml', 0),
    'reasoning-text-deepseek': lambda: cassette('test_deepseek_responses/test_deepseek_responses[text_stream].yaml', 0),
    'reasoning-text-openrouter-done': lambda: cassette('test_openai_responses/test_openai_responses_raw_cot_stream_openrouter.yaml', 0),
    'web-search-cached-gpt-5': lambda: cassette('test_openai_responses/test_openai_responses_model_web_search_tool_stream.yaml', 0),
    'background-queued-gpt-4o': lambda: cassette('test_openai_responses/test_background_mode_streaming_vcr.yaml', 0),
    'phase-two-messages-gpt-5': lambda: json_lines(VERCEL, 'packages/openai/src/responses/__fixtures__/openai-phase.1.chunks.txt'),
    'error-insufficient-quota': lambda: json_lines(VERCEL, 'packages/openai/src/responses/__fixtures__/openai-error.1.chunks.txt'),
    'failed-rate-limit': lambda: json_lines(VERCEL_FAILED, 'packages/openai/src/responses/__fixtures__/openai-response-failed-only.1.chunks.txt'),
    'derived-incomplete-max-output-tokens': derive_responses_incomplete,
    'derived-refusal': derive_responses_refusal,
    'derived-error-midstream': derive_responses_midstream_error,
    'derived-cut-before-completed': derive_responses_cut,
}

ANTHROPIC = {
    'text-basic-claude-3-opus': anthropic_basic,
    'text-claude-sonnet-4-5': lambda: json_lines(VERCEL, 'packages/anthropic/src/__fixtures__/anthropic-text.chunks.txt'),
    'code-answer-go-claude-sonnet-4-6': lambda: json_lines(VERCEL, 'packages/anthropic/src/__fixtures__/anthropic-advisor-20250301.1.chunks.txt'),
    'thinking-claude-sonnet-4': lambda: cassette('test_anthropic/test_anthropic_model_thinking_part_stream.yaml', 0),
    'thinking-redacted': lambda: cassette('test_anthropic/test_anthropic_model_thinking_part_redacted_stream.yaml', 0),
    'thinking-short': lambda: json_lines(VERCEL, 'packages/anthropic/src/__fixtures__/anthropic-clear-thinking.1.chunks.txt'),
    'tool-use-claude-sonnet-4': lambda: sdk_fixture('tests/lib/streaming/fixtures/tool_use_response.txt'),
    'max-tokens-in-tool-input': lambda: sdk_fixture('tests/lib/streaming/fixtures/incomplete_partial_json_response.txt'),
    'refusal-stop-details': lambda: sdk_fixture('tests/lib/streaming/fixtures/refusal_response.txt'),
    'web-search-citations': lambda: json_lines(VERCEL, 'packages/anthropic/src/__fixtures__/anthropic-web-search-tool.1.chunks.txt'),
    'code-execution-tool': lambda: cassette('test_anthropic/test_anthropic_code_execution_tool_stream.yaml', 0),
    'usage-cache-and-thinking-tokens': lambda: json_lines(VERCEL, 'packages/anthropic/src/__fixtures__/anthropic-code-execution-20260120-prompt-cache.1.chunks.txt'),
    'usage-input-tokens-in-message-delta': lambda: json_lines(VERCEL, 'packages/anthropic/src/__fixtures__/anthropic-message-delta-input-tokens.chunks.txt'),
    'usage-compaction-cache-read': lambda: cassette('test_anthropic/test_anthropic_compaction_usage_with_cache_streaming.yaml', 0),
    'usage-start-differs-from-delta': lambda: cassette('test_anthropic/test_request_stream_fallback_for_high_max_tokens.yaml', 0),
    'derived-overloaded-error-midstream': derive_anthropic_overloaded,
    'derived-cut-before-message-stop': derive_anthropic_cut,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--repo', action='append', default=[], help='owner/name=PATH of a local clone')
    args = parser.parse_args()
    for item in args.repo:
        name, _, path = item.partition('=')
        REPOS[name] = path
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    for folder, table in (('openai-responses', RESPONSES), ('anthropic-messages', ANTHROPIC)):
        for name, build in table.items():
            with open(os.path.join(here, folder, name + '.sse'), 'wb') as f:
                f.write(build())
    return 0


if __name__ == '__main__':
    sys.exit(main())
